package dev.flinkdriver.localyarn;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The local YARN's queue {@code small}: 4 GiB and 4 vcores, not elastic, ApplicationMasters limited
 * to half of it. That is room for exactly two driver applications' JobManagers and drivers (1 GiB
 * containers each) and no user TaskManager beside them: a full queue to try out and test (see
 * README, "Sizing a queue"). Its share comes out of the default queue, which stays elastic to the
 * whole node.
 */
final class SmallQueue {

    static final String NAME = "small";

    private static final int MEMORY_MB = 4096;

    private SmallQueue() {}

    /** Its share of the node, so that it is 4 GiB whatever the node's size. */
    static float capacityPercent(LocalYarnLayout layout) {
        return Math.min(50f, 100f * MEMORY_MB / layout.nodeMemoryMb());
    }

    static Map<String, String> properties(float capacityPercent) {
        String queue = "yarn.scheduler.capacity.root." + NAME + ".";
        Map<String, String> p = new LinkedHashMap<>();
        p.put(queue + "capacity", String.valueOf(capacityPercent));
        p.put(queue + "maximum-capacity", String.valueOf(capacityPercent));
        p.put(queue + "state", "RUNNING");
        p.put(queue + "user-limit-factor", "1");
        p.put(queue + "maximum-am-resource-percent", "0.5");
        p.put(queue + "acl_submit_applications", "*");
        p.put(queue + "acl_administer_queue", " ");
        return p;
    }
}
