package dev.flinkdriver.it.lib;

/** Lives in its own jar, shipped with {@code --libjars}. */
public final class Greeting {

    private Greeting() {}

    public static String of(String who) {
        return "hello " + who;
    }
}
