package dev.flinkdriver.localyarn;

import org.apache.hadoop.conf.Configuration;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** Writes the Hadoop site files of a local YARN: one directory serves its daemons and clients. */
final class HadoopSiteFiles {

    private HadoopSiteFiles() {}

    static Map<String, String> yarnSite(LocalYarnLayout layout, LocalYarnPorts ports) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("yarn.resourcemanager.hostname", "localhost");
        p.put("yarn.resourcemanager.address", "localhost:" + ports.rm());
        p.put("yarn.resourcemanager.scheduler.address", "localhost:" + ports.scheduler());
        p.put("yarn.resourcemanager.resource-tracker.address", "localhost:" + ports.tracker());
        p.put("yarn.resourcemanager.admin.address", "localhost:" + ports.admin());
        p.put("yarn.resourcemanager.webapp.address", "localhost:" + ports.rmWeb());
        p.put("yarn.nodemanager.hostname", "localhost");
        p.put("yarn.nodemanager.address", "localhost:" + ports.nm());
        p.put("yarn.nodemanager.localizer.address", "localhost:" + ports.localizer());
        p.put("yarn.nodemanager.webapp.address", "localhost:" + ports.nmWeb());
        p.put("yarn.nodemanager.collector-service.address", "localhost:" + ports.collector());
        p.put(
                "yarn.resourcemanager.scheduler.class",
                "org.apache.hadoop.yarn.server.resourcemanager.scheduler.capacity.CapacityScheduler");
        // Sized so that several Flink JobManagers and TaskManagers fit on a 2-core, 24 GiB
        // machine; vcores are virtual here, the kernel shares the two real cores.
        p.put("yarn.nodemanager.resource.memory-mb", String.valueOf(layout.nodeMemoryMb()));
        p.put("yarn.nodemanager.resource.cpu-vcores", String.valueOf(layout.nodeVcores()));
        p.put("yarn.scheduler.minimum-allocation-mb", "256");
        p.put("yarn.scheduler.maximum-allocation-mb", "8192");
        p.put("yarn.scheduler.minimum-allocation-vcores", "1");
        p.put("yarn.scheduler.maximum-allocation-vcores", String.valueOf(layout.nodeVcores()));
        p.put("yarn.nodemanager.vmem-check-enabled", "false");
        p.put("yarn.nodemanager.pmem-check-enabled", "false");
        p.put(
                "yarn.nodemanager.disk-health-checker.max-disk-utilization-per-disk-percentage",
                "99.0");
        p.put("yarn.nodemanager.disk-health-checker.min-free-space-per-disk-mb", "0");
        p.put("yarn.nodemanager.local-dirs", layout.dir().resolve("nm-local").toString());
        p.put("yarn.nodemanager.log-dirs", layout.containerLogs().toString());
        // Container directories stay for an hour after an application so that a failed run
        // can be read (launch_container.sh shows the exact classpath and java command).
        p.put("yarn.nodemanager.delete.debug-delay-sec", "3600");
        // Defaults live under /tmp/hadoop-yarn-<user>; keep everything in the YARN's own dir.
        p.put(
                "yarn.node-attribute.fs-store.root-dir",
                layout.dir().resolve("node-attribute").toUri().toString());
        p.put(
                "yarn.node-labels.fs-store.root-dir",
                layout.dir().resolve("node-labels").toUri().toString());
        // Container logs outlive their NodeManager's retention, as on a production YARN: the
        // NodeManager uploads them when the application ends; `yarn logs` and `flink-driver logs`
        // read them there.
        p.put("yarn.log-aggregation-enable", "true");
        p.put("yarn.nodemanager.remote-app-log-dir", layout.aggregatedLogs().toUri().toString());
        p.put(LocalYarnSite.JOB_ARCHIVE_DIR, layout.jobArchiveDir().toUri().toString());
        p.put(LocalYarnSite.HISTORY_SERVER, "localhost:" + ports.historyServer());
        p.put("yarn.timeline-service.enabled", "false");
        // A ResourceManager restart (an upgrade, a crash) must not end the applications: it
        // recovers them from a state store that outlives its JVM, and work-preserving recovery
        // keeps their containers running while the NodeManagers resync. NodeManager recovery
        // (containers outliving their NodeManager's JVM) is not needed for that, and is off: a
        // NodeManager of this YARN dies only together with its containers, as a lost host does.
        p.put("yarn.resourcemanager.recovery.enabled", "true");
        p.put("yarn.resourcemanager.work-preserving-recovery.enabled", "true");
        p.put(
                "yarn.resourcemanager.store.class",
                "org.apache.hadoop.yarn.server.resourcemanager.recovery.FileSystemRMStateStore");
        p.put(
                "yarn.resourcemanager.fs.state-store.uri",
                layout.resourceManagerState().toUri().toString());
        // ApplicationMasters, NodeManagers and clients retry a ResourceManager that does not
        // answer every 30 s by default: up to 30 s more after a restart before they are back.
        p.put("yarn.resourcemanager.connect.retry-interval.ms", "1000");
        // A lost host counts as lost after 10 min by default; its containers (an
        // ApplicationMaster's too) are reported lost only then. 20 s here, still well above a
        // NodeManager's 1 s heartbeat on a loaded 2-core machine.
        p.put("yarn.nm.liveness-monitor.expiry-interval-ms", "20000");
        p.put("yarn.nodemanager.recovery.enabled", "false");
        p.put(
                "yarn.nodemanager.env-whitelist",
                "JAVA_HOME,HADOOP_COMMON_HOME,HADOOP_HDFS_HOME,HADOOP_CONF_DIR,"
                        + "HADOOP_YARN_HOME,HADOOP_MAPRED_HOME,PATH,LANG,TZ");
        // Containers get the same Hadoop client jars and configuration as the flink-driver
        // client, the way an NM of a real cluster offers its own Hadoop installation.
        p.put(
                "yarn.application.classpath",
                layout.confDir() + "," + layout.hadoopClasspathDir() + "/*");
        p.put("yarn.acl.enable", String.valueOf(layout.aclEnabled()));
        // Room for yarn.application-attempts up to 3 plus flink-driver's closing attempt,
        // which ends an application whose JobManager was lost with diagnostics that say so
        // (YARN's default, 2, leaves none with HA's 2 attempts).
        p.put("yarn.resourcemanager.am.max-attempts", "4");
        // Lets yarn.application.priority take effect (YARN's default maximum is 0).
        p.put("yarn.cluster.max-application-priority", "10");
        p.put("yarn.admin.acl", layout.aclEnabled() ? System.getProperty("user.name") : "*");
        return p;
    }

    static Map<String, String> coreSite(LocalYarnLayout layout) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("fs.defaultFS", "file:///");
        p.put("hadoop.tmp.dir", layout.dir().resolve("tmp").toString());
        p.put("hadoop.security.authorization", "false");
        p.put(LocalYarnSite.FILE_SYSTEM_IMPL, LocalYarnFileSystem.class.getName());
        return p;
    }

    static Map<String, String> capacityScheduler(LocalYarnLayout layout) {
        float small = SmallQueue.capacityPercent(layout);
        Map<String, String> p = new LinkedHashMap<>();
        p.put("yarn.scheduler.capacity.root.queues", "default,batch," + SmallQueue.NAME);
        p.put("yarn.scheduler.capacity.root.default.capacity", String.valueOf(70f - small));
        p.put("yarn.scheduler.capacity.root.batch.capacity", "30");
        p.put("yarn.scheduler.capacity.root.default.maximum-capacity", "100");
        p.put("yarn.scheduler.capacity.root.batch.maximum-capacity", "100");
        p.put("yarn.scheduler.capacity.root.default.state", "RUNNING");
        p.put("yarn.scheduler.capacity.root.batch.state", "RUNNING");
        p.put("yarn.scheduler.capacity.root.default.user-limit-factor", "10");
        p.put("yarn.scheduler.capacity.root.batch.user-limit-factor", "10");
        // At most half the node for ApplicationMasters: beyond that, AMs of many concurrent
        // applications leave no room for the TaskManagers they wait for, and all of them hang.
        p.put("yarn.scheduler.capacity.maximum-am-resource-percent", "0.5");
        p.put("yarn.scheduler.capacity.maximum-applications", "1000");
        // Count vcores as well as memory, so that a driver asking for 2 cores gets 2 vcores.
        p.put(
                "yarn.scheduler.capacity.resource-calculator",
                "org.apache.hadoop.yarn.util.resource.DominantResourceCalculator");
        p.put("yarn.scheduler.capacity.root.acl_submit_applications", "*");
        // Queue admins may kill any application of the queue: nobody but YARN admins is one, so
        // applications' own modify ACLs decide.
        p.put("yarn.scheduler.capacity.root.acl_administer_queue", " ");
        p.put("yarn.scheduler.capacity.root.default.acl_submit_applications", "*");
        p.put("yarn.scheduler.capacity.root.default.acl_administer_queue", " ");
        p.put("yarn.scheduler.capacity.root.batch.acl_submit_applications", "*");
        p.put("yarn.scheduler.capacity.root.batch.acl_administer_queue", " ");
        p.putAll(SmallQueue.properties(small));
        return p;
    }

    static void write(Path file, Map<String, String> properties) throws IOException {
        Configuration conf = new Configuration(false);
        properties.forEach(conf::set);
        try (OutputStream out = Files.newOutputStream(file)) {
            conf.writeXml(out);
        }
    }
}
