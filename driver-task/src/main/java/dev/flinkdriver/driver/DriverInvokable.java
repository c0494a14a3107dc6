package dev.flinkdriver.driver;

import org.apache.flink.runtime.execution.Environment;
import org.apache.flink.runtime.execution.SuppressRestartsException;
import org.apache.flink.runtime.jobgraph.tasks.AbstractInvokable;

import java.net.URL;
import java.net.URLClassLoader;
import java.util.Arrays;
import java.util.List;

/**
 * The driver job's only task: runs the application's main(). A main() that throws fails the task
 * with that exception, and so the driver job and the application.
 *
 * <p>Loaded by the task's user-code class loader, from the TaskManager's lib/ on a driver cluster,
 * or from the job's own jars on an existing cluster, where the client adds this module's jar to the
 * driver job: with Flink's default child-first resolution, {@code dev.flinkdriver} classes then
 * come from that jar even where lib/ holds a copy too. flink-clients must be on the TaskManager's
 * class path (flink-dist contains it).
 */
public class DriverInvokable extends AbstractInvokable {

    private volatile boolean cancelled;

    public DriverInvokable(Environment environment) {
        super(environment);
    }

    /**
     * A failure of main() itself (it threw, or called System.exit, which Flink's security manager
     * turns into an exception with {@code cluster.intercept-user-system-exit: THROW}) is the
     * program's own and suppresses the driver job's restarts. Only a lost TaskManager, which never
     * gets here, restarts the driver.
     */
    @Override
    public void invoke() throws Exception {
        int attempt = getEnvironment().getTaskInfo().getAttemptNumber();
        try {
            new DriverProgramRunner(
                            getEnvironment().getTaskManagerInfo().getConfiguration(),
                            getJobConfiguration(),
                            userCodeUrls(),
                            attempt,
                            getEnvironment().getTaskManagerInfo().getTaskManagerExternalAddress())
                    .run();
        } catch (Throwable t) {
            if (cancelled) {
                throw t;
            }
            throw new SuppressRestartsException(t);
        }
    }

    @Override
    public void cancel() throws Exception {
        cancelled = true;
        if (PythonDriverRunner.isPython(getJobConfiguration())) {
            // PythonDriver waits for its process in a read that no interrupt ends.
            PythonDriverRunner.destroyPythonProcesses();
        }
        super.cancel();
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
