package dev.flinkdriver.localyarn;

import java.nio.file.Path;

/**
 * The one place where the Kerberized local YARN departs from Hadoop's code: its NodeManager runs
 * with its own {@code org.apache.hadoop.io.SecureIOUtils} (source in {@code
 * local-yarn/src/lab-nodemanager/java}, Hadoop 3.4.1's with two marked changes) ahead of Hadoop's
 * on its class path. No other daemon, no client and no container sees it.
 *
 * <p>Why: a secure NodeManager opens every container log file, for its log web service ({@code
 * ContainerLogsUtils}) and for log aggregation ({@code AggregatedLogFormat.LogValue}), through
 * {@code SecureIOUtils.openForRead(file, applicationUser, null)}. With Kerberos on, Hadoop's
 * version refuses to load without Hadoop's native library ("Secure IO is not possible without
 * native code extensions") and reads each file's owner with the native {@code fstat} to check that
 * the application's user owns it. This lab YARN has neither the native library nor the
 * LinuxContainerExecutor: every container runs as the NodeManager's own OS user, so the owner of
 * alice's log files is never {@code alice}, and the check could not pass even with the library.
 * (Initialising the class while UGI still reports simple authentication does not help: its reads
 * ask {@code UserGroupInformation.isSecurityEnabled()} on every call.) The replacement opens the
 * files without the owner check when the native code is missing, as Hadoop itself does with
 * security off, and logs that once. Everything else stays Hadoop's: Kerberos RPC, SPNEGO on the log
 * web service, the application's view ACL before any file is read.
 *
 * <p>A production secured YARN has both the native library and the LinuxContainerExecutor (it runs
 * each container as its user), and Hadoop's own class there. What the owner check guards against, a
 * container's user swapping his log file for a link to someone else's file, exposes nothing new
 * here: all containers run as one OS user and can read each other's files anyway. {@code
 * LabSecureIoTest} fails when Hadoop changes any of this (its class opens files under Kerberos
 * without native code, or its API moves).
 */
final class LabSecureIo {

    /** The directory under the server class path that holds the replacement's jar. */
    static final String DIR = "lab-nodemanager";

    private LabSecureIo() {}

    /** The class path entry that goes before Hadoop's jars on the Kerberized NodeManager's. */
    static String classpathEntry(Path serverClasspathDir) {
        return serverClasspathDir.resolve(DIR) + "/*";
    }
}
