package dev.flinkdriver.it.apps;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;

/**
 * Calls the main() of each class named in {@code args}, unchanged and without arguments, one after
 * the other in this one driver application, so that several programs cost one YARN application.
 * Before each it prints {@link #MARKER} and the class name, so that what each main() printed can be
 * told apart; the first main() that throws fails the application.
 */
public final class MainsInTurnApp {

    public static final String MARKER = "=== main() of ";

    private MainsInTurnApp() {}

    public static void main(String[] args) throws Throwable {
        for (String className : args) {
            System.out.println(MARKER + className);
            Method main = Class.forName(className).getMethod("main", String[].class);
            try {
                main.invoke(null, (Object) new String[0]);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        }
    }
}
