package dev.flinkdriver.client;

/** The main class of the test application jar; the client only loads it, never runs it. */
public final class TestMain {

    private TestMain() {}

    public static void main(String[] args) {}
}
