package dev.flinkdriver.entrypoint;

/** The main class of {@link ContainerClassDataSharingTest}'s containers. */
public final class CdsProbe {

    private CdsProbe() {}

    public static void main(String[] args) {
        System.out.println("probe ran");
    }
}
