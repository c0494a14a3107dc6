package dev.flinkdriver.client;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Makes the bare {@code -D} of driver mode and Flink's {@code -Dkey=value} live side by side.
 *
 * <p>commons-cli knows {@code D} only as the dynamic-property option with an argument, so a bare
 * {@code -D} either swallows the next token or, registered as a flag, turns every later {@code
 * -Dk=v} into program arguments. Rewriting the exact token {@code -D} (before the jar) to {@code
 * --driver} keeps both.
 */
final class DriverArgs {

    static final String DRIVER_LONG = "--driver";

    /** Options of {@code flink run} (and of driver mode) that take a value. */
    private static final Set<String> WITH_VALUE =
            Set.of(
                    "-c",
                    "--class",
                    "-C",
                    "--classpath",
                    "-p",
                    "--parallelism",
                    "-s",
                    "--fromSavepoint",
                    "-rm",
                    "--restoreMode",
                    "-cm",
                    "--claimMode",
                    "-t",
                    "--target",
                    "-m",
                    "--jobmanager",
                    "-a",
                    "--arguments",
                    "-j",
                    "--jarfile",
                    "-yid",
                    "--yarnapplicationId",
                    "-yqu",
                    "--yarnqueue",
                    "-ynm",
                    "--yarnname",
                    "-yjm",
                    "--yarnjobManagerMemory",
                    "-ytm",
                    "--yarntaskManagerMemory",
                    "-ys",
                    "--yarnslots",
                    "-yD",
                    "-yt",
                    "--yarnship",
                    "-yat",
                    "--yarnapplicationType",
                    "-ynl",
                    "--yarnnodeLabel",
                    "-yz",
                    "--yarnzookeeperNamespace",
                    "-yj",
                    "--yarnjar",
                    "-z",
                    "--zookeeperNamespace",
                    "--driverheapmemory",
                    "--driverdirectmemory",
                    "--drivernativememory",
                    "--drivercpus",
                    "--libjars",
                    "--file",
                    "--sql",
                    "-py",
                    "--python",
                    "-pyfs",
                    "--pyFiles",
                    "-pym",
                    "--pyModule",
                    "-pyreq",
                    "--pyRequirements",
                    "-pyarch",
                    "--pyArchives",
                    "-pyexec",
                    "--pyExecutable",
                    "-pyclientexec",
                    "--pyClientExecutable",
                    "-pypath",
                    "--pyPythonPath",
                    "-e",
                    "--executor");

    private DriverArgs() {}

    /** The arguments of {@code run} after the rewrite, and whether driver mode is on. */
    record Normalized(String[] args, boolean driverMode) {}

    /**
     * Rewrites a bare {@code -D} among the options (before the jar) to {@code --driver}; tokens
     * from the jar on are program arguments and stay as they are.
     */
    static Normalized normalize(String[] args) {
        List<String> out = new ArrayList<>(args.length);
        boolean driverMode = false;
        boolean inOptions = true;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (inOptions) {
                if (a.equals("-D") || a.equals(DRIVER_LONG)) {
                    out.add(DRIVER_LONG);
                    driverMode = true;
                    continue;
                }
                if (WITH_VALUE.contains(a) && i + 1 < args.length) {
                    out.add(a);
                    out.add(args[++i]);
                    continue;
                }
                if (!a.startsWith("-")) {
                    inOptions = false; // the jar: everything after it belongs to main()
                }
            }
            out.add(a);
        }
        return new Normalized(out.toArray(String[]::new), driverMode);
    }
}
