package dev.flinkdriver.localyarn;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.io.SecureIOUtils;
import org.apache.hadoop.security.UserGroupInformation;
import org.apache.hadoop.yarn.server.nodemanager.NodeManager;

/**
 * The NodeManager of a Kerberized local YARN: Hadoop's own {@link NodeManager#main}, with {@link
 * SecureIOUtils} initialised first as on an unsecured node.
 *
 * <p>With Kerberos on, a NodeManager opens container logs (for log aggregation and its log web
 * service) through SecureIOUtils, which guards against one container user's symlinks to another
 * user's files and needs Hadoop's native library (libhadoop) for it. Without that library the first
 * aggregation halts the NodeManager ("Secure IO is not possible without native code extensions").
 * On this one-user YARN every container runs as the NodeManager's own OS user
 * (DefaultContainerExecutor), so there is nothing to guard: SecureIOUtils decides once, when its
 * class is initialised, and is initialised here before the NodeManager turns Kerberos on.
 */
public final class LocalNodeManager {

    private LocalNodeManager() {}

    public static void main(String[] args) throws Exception {
        UserGroupInformation.setConfiguration(new Configuration(false));
        Class.forName(SecureIOUtils.class.getName(), true, LocalNodeManager.class.getClassLoader());
        // The NodeManager sets up Kerberos from its site files again.
        UserGroupInformation.reset();
        NodeManager.main(args);
    }
}
