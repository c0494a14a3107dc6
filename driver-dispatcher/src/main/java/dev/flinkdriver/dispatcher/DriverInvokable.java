package dev.flinkdriver.dispatcher;

import org.apache.flink.runtime.execution.Environment;
import org.apache.flink.runtime.jobgraph.tasks.AbstractInvokable;

import java.net.URL;
import java.net.URLClassLoader;
import java.util.Arrays;
import java.util.List;

/**
 * The driver job's only task: runs the application's main(). A main() that throws fails the task
 * with that exception, and so the driver job and the application.
 *
 * <p>Loaded by the task's user-code class loader; this module's jar must sit in the TaskManager's
 * lib/ (with flink-clients, which flink-dist contains).
 */
public class DriverInvokable extends AbstractInvokable {

    public DriverInvokable(Environment environment) {
        super(environment);
    }

    @Override
    public void invoke() throws Exception {
        new DriverProgramRunner(
                        getEnvironment().getTaskManagerInfo().getConfiguration(),
                        getJobConfiguration(),
                        userCodeUrls())
                .run();
    }

    /** The job's jars as local blob files: the user-code class loader is a URLClassLoader. */
    private List<URL> userCodeUrls() {
        ClassLoader userCodeClassLoader = getUserCodeClassLoader();
        if (!(userCodeClassLoader instanceof URLClassLoader)) {
            throw new IllegalStateException(
                    "Cannot find the application jar: the user-code class loader "
                            + userCodeClassLoader.getClass().getName()
                            + " is no URLClassLoader.");
        }
        return Arrays.asList(((URLClassLoader) userCodeClassLoader).getURLs());
    }
}
