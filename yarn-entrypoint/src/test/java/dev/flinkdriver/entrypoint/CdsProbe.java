package dev.flinkdriver.entrypoint;

/** The main class of {@link ContainerClassDataSharingTest}'s containers. */
public final class CdsProbe {

    private CdsProbe() {}

    public static void main(String[] args) {
        // Enough classes for a list a container would share (MIN_CLASSES).
        java.lang.management.ManagementFactory.getPlatformMBeanServer();
        System.out.println("probe ran");
    }
}
