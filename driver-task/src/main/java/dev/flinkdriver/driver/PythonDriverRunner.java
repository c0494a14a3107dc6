package dev.flinkdriver.driver;

import dev.flinkdriver.api.DriverOptions;

import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.util.function.ThrowingRunnable;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;

/**
 * What a Python program needs beside {@link DriverProgramRunner}, which runs it as Flink's {@code
 * PythonDriver} (a Py4J gateway and the {@code python} process, a child of this TaskManager's JVM):
 *
 * <ul>
 *   <li>the shipped files by absolute paths: the Python process may run in another working
 *       directory (the unpacked {@code -pyarch} archives with {@code -pyclientexec}), where the
 *       relative paths the client wrote would name nothing (Flink's FLINK-26847);
 *   <li>a Python exception as the driver's failure: PythonDriver only reports the exit code, the
 *       traceback went to stdout; the last line of the traceback becomes the failure's message;
 *   <li>the Python process ended with the driver task: PythonDriver waits in a read that neither
 *       cancel nor an interrupt ends.
 * </ul>
 */
final class PythonDriverRunner {

    private static final Logger LOG = LoggerFactory.getLogger(PythonDriverRunner.class);

    static final String PYTHON_DRIVER = "org.apache.flink.client.python.PythonDriver";

    private static final String SCRIPT_ARG = "--python";

    /** Lines of the program's output kept to find the traceback in. */
    private static final int TAIL_LINES = 400;

    private static final List<ConfigOption<String>> SHIPPED_PATHS =
            List.of(
                    ConfigOptions.key("python.files").stringType().noDefaultValue(),
                    ConfigOptions.key("python.archives").stringType().noDefaultValue(),
                    ConfigOptions.key("python.requirements").stringType().noDefaultValue());

    private PythonDriverRunner() {}

    static boolean isPython(Configuration driverJobConfiguration) {
        return PYTHON_DRIVER.equals(driverJobConfiguration.get(DriverOptions.MAIN_CLASS));
    }

    /** PythonDriver's arguments with the script's path absolute. */
    static String[] arguments(List<String> programArgs, File workingDirectory) {
        List<String> args = new ArrayList<>(programArgs);
        int script = args.indexOf(SCRIPT_ARG);
        if (script >= 0 && script + 1 < args.size()) {
            args.set(script + 1, absolute(args.get(script + 1), workingDirectory));
        }
        return args.toArray(new String[0]);
    }

    /**
     * {@code python.files}, {@code python.archives} ({@code path#target}) and {@code
     * python.requirements} ({@code file#cache}) with the shipped, relative paths made absolute.
     */
    static void absolutePaths(Configuration configuration, File workingDirectory) {
        for (ConfigOption<String> option : SHIPPED_PATHS) {
            Optional<String> value = configuration.getOptional(option);
            if (value.isEmpty()) {
                continue;
            }
            List<String> entries = new ArrayList<>();
            for (String entry : value.get().split(",")) {
                String[] parts = entry.split("#", 2);
                parts[0] = absolute(parts[0], workingDirectory);
                if (option.key().equals("python.requirements") && parts.length > 1) {
                    parts[1] = absolute(parts[1], workingDirectory);
                }
                entries.add(String.join("#", parts));
            }
            configuration.set(option, String.join(",", entries));
        }
    }

    private static String absolute(String path, File workingDirectory) {
        File file = new File(path);
        if (file.isAbsolute() || path.contains("://")) {
            return path;
        }
        File resolved = new File(workingDirectory, path);
        return resolved.exists() ? resolved.getAbsolutePath() : path;
    }

    /**
     * Runs the program, keeping the tail of what it prints (PythonDriver copies the Python
     * process's stdout and stderr to {@link System#out}); a failure with a Python traceback in it
     * becomes a {@link PythonProgramException} with the traceback's last line, and the traceback
     * goes to stderr too.
     */
    static void run(ThrowingRunnable<Exception> program) throws Exception {
        PrintStream original = System.out;
        LineTail tail = new LineTail(TAIL_LINES);
        System.setOut(new PrintStream(new TeeOutputStream(original, tail), true));
        try {
            program.run();
        } catch (Throwable t) {
            Optional<Traceback> traceback = Traceback.last(tail.lines());
            if (traceback.isEmpty()) {
                throw t;
            }
            traceback.get().lines().forEach(System.err::println);
            PythonProgramException failure =
                    new PythonProgramException(traceback.get().exception());
            // The Java side of the failure ("Python process exits with code: 1"), for the log.
            failure.addSuppressed(t);
            LOG.info("The Python program failed: {}", traceback.get().exception());
            throw failure;
        } finally {
            System.setOut(original);
        }
    }

    /**
     * Ends the Python process of this TaskManager's driver, with its own children: the processes
     * this JVM started as {@code <python> -u ...}, PythonDriver's command line. The driver's
     * TaskManager runs no other task, so no other task's Python process is among them.
     */
    static void destroyPythonProcesses() {
        ProcessHandle.current()
                .children()
                .filter(PythonDriverRunner::isPythonDriverProcess)
                .forEach(
                        p -> {
                            LOG.info("Ending the Python process {} of the driver.", p.pid());
                            p.descendants().forEach(ProcessHandle::destroyForcibly);
                            p.destroyForcibly();
                        });
    }

    private static boolean isPythonDriverProcess(ProcessHandle process) {
        String[] args = process.info().arguments().orElse(new String[0]);
        return args.length > 1 && args[0].equals("-u");
    }

    /** A Python traceback's lines and its exception line. */
    record Traceback(List<String> lines, String exception) {

        private static final String HEADER = "Traceback (most recent call last):";

        /** The last traceback among {@code lines}, if any. */
        static Optional<Traceback> last(List<String> lines) {
            int start = -1;
            for (int i = lines.size() - 1; i >= 0; i--) {
                if (lines.get(i).startsWith(HEADER)) {
                    start = i;
                    break;
                }
            }
            if (start < 0) {
                return Optional.empty();
            }
            // The frames are indented; the exception is the first line that is not.
            for (int i = start + 1; i < lines.size(); i++) {
                String line = lines.get(i);
                if (!line.isEmpty() && !Character.isWhitespace(line.charAt(0))) {
                    return Optional.of(
                            new Traceback(List.copyOf(lines.subList(start, i + 1)), line));
                }
            }
            return Optional.empty();
        }
    }

    /** The last lines written. */
    static final class LineTail extends OutputStream {

        private final int capacity;
        private final Deque<String> lines = new ArrayDeque<>();
        private final ByteArrayOutputStream current = new ByteArrayOutputStream();

        LineTail(int capacity) {
            this.capacity = capacity;
        }

        @Override
        public synchronized void write(int b) {
            if (b == '\n') {
                String line = current.toString(StandardCharsets.UTF_8);
                current.reset();
                lines.addLast(line.endsWith("\r") ? line.substring(0, line.length() - 1) : line);
                if (lines.size() > capacity) {
                    lines.removeFirst();
                }
            } else if (current.size() < 64 * 1024) {
                current.write(b);
            }
        }

        synchronized List<String> lines() {
            List<String> all = new ArrayList<>(lines);
            if (current.size() > 0) {
                all.add(current.toString(StandardCharsets.UTF_8));
            }
            return all;
        }
    }

    /** Writes to both. */
    private static final class TeeOutputStream extends OutputStream {

        private final OutputStream first;
        private final OutputStream second;

        TeeOutputStream(OutputStream first, OutputStream second) {
            this.first = first;
            this.second = second;
        }

        @Override
        public void write(int b) throws java.io.IOException {
            first.write(b);
            second.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) throws java.io.IOException {
            first.write(b, off, len);
            for (int i = off; i < off + len; i++) {
                second.write(b[i]);
            }
        }

        @Override
        public void flush() throws java.io.IOException {
            first.flush();
        }
    }
}
