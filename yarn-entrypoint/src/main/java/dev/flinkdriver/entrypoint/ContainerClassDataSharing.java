package dev.flinkdriver.entrypoint;

import dev.flinkdriver.resources.DriverResourceOptions;

import org.apache.flink.configuration.Configuration;

import org.apache.hadoop.yarn.api.records.ContainerLaunchContext;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Class-data sharing (Java's AppCDS) for the JVMs of a driver application's containers ({@code
 * driver.class-data-sharing}): each JobManager, driver TaskManager and user TaskManager maps the
 * classes of Flink's lib/ from an archive on its node instead of loading, parsing and verifying
 * them from the jars, about a quarter of the CPU such a JVM spends to start and run a few jobs
 * (README, "Performance").
 *
 * <p>Java 17 cannot archive on its own while an application runs ({@code
 * -XX:+AutoCreateSharedArchive} is Java 19; {@code -XX:+RecordDynamicDumpInfo} refuses a class path
 * with a directory, which a YARN container's always has) and a dump at exit races YARN's SIGKILL.
 * So the start command decides, in the container's shell, before the JVM starts, per node, role and
 * lib/ (the archive's name is a checksum of the JVM and of lib/'s localised jars, which the JVM
 * checks by size and time):
 *
 * <ol>
 *   <li>an archive exists: map it;
 *   <li>a class list exists, written by an earlier container of the role that has ended or has
 *       loaded no class for {@value #SETTLED_MINUTES} minutes: dump the archive from it ({@code
 *       -Xshare:dump}, about 5 CPU seconds, before this JVM starts, so that the dump never shares
 *       the container's memory with it; one container of the role at a time, the others start as
 *       without), then map it;
 *   <li>nobody records one yet: record this JVM's classes ({@code -XX:DumpLoadedClassList});
 *   <li>otherwise start as without.
 * </ol>
 *
 * <p>The archives live in the user's own directory of the NodeManager ({@code LOCAL_USER_DIRS},
 * which YARN keeps across applications, and across its restarts with NodeManager recovery), only
 * where the container runs as the user who submitted it (an archive is trusted code: a YARN that
 * runs every user's containers as one user gets none), and leave after {@value #UNUSED_DAYS} days
 * unused. The class path archived is the prefix of the container's that is lib/'s jars, so that the
 * application's own entries after it (its configuration, Hadoop's) never invalidate the archive. A
 * lib/ shipped with each application (no {@code yarn.provided.lib.dirs}) is localised anew per
 * application and would never be mapped twice: then nothing happens at all, as for a JVM that would
 * reject the archive ({@link #compressedOops}).
 */
public final class ContainerClassDataSharing {

    /** The kind of JVM a container runs; each has an archive of its own classes. */
    public enum Role {
        JOBMANAGER,
        DRIVER,
        TASKMANAGER;

        String fileName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Days an archive or class list may go unused before a container start deletes it. */
    static final int UNUSED_DAYS = 30;

    /** Minutes without a new class after which a running recorder's list is shared. */
    static final int SETTLED_MINUTES = 5;

    /**
     * Fewest classes a list needs: a JobManager loads about 10,000 and a TaskManager 5,000 to
     * start; a shorter list is a JVM that ended while it started.
     */
    static final int MIN_CLASSES = 1000;

    /**
     * A dump that takes longer (about 10 s on a loaded 2-core node) gives up, so that a container
     * never waits long for its JVM; the next container tries again after {@link #RETRY_MINUTES}.
     */
    static final int DUMP_TIMEOUT_SECONDS = 90;

    /** Minutes after a failed or abandoned dump before a container dumps again. */
    static final int RETRY_MINUTES = 60;

    /** Takes recorder list {@code $f} as the role's class list, without its last line. */
    private static final String TAKE_LIST =
            "head -n -1 $f > $a.list.$$ && mv $a.list.$$ $a.classlist;";

    private static final Pattern ALREADY_SHARING =
            Pattern.compile("-XX:SharedArchiveFile=|-Xshare:");

    /**
     * JVMs that would reject an archive dumped with compressed oops and class pointers, and with it
     * even the JDK's own archive: ZGC, either compression off, or a heap of 32 GB or more.
     */
    private static final Pattern UNCOMPRESSED =
            Pattern.compile("-XX:\\+UseZGC|-XX:-UseCompressedOops|-XX:-UseCompressedClassPointers");

    private static final Pattern MAX_HEAP = Pattern.compile("-Xmx(\\d+)([kKmMgGtT]?)\\b");

    private static final long COMPRESSED_OOPS_LIMIT = 32L << 30;

    private final boolean enabled;

    public ContainerClassDataSharing(Configuration flinkConfig) {
        this.enabled = flinkConfig.get(DriverResourceOptions.CLASS_DATA_SHARING);
    }

    /**
     * Puts the archive's JVM options into each Java start command of a container, in place.
     *
     * @param roleOf the role of the JVM a start command starts
     */
    public void apply(ContainerLaunchContext context, Function<String, Role> roleOf) {
        if (!enabled || context.getCommands() == null) {
            return;
        }
        final List<String> commands = new ArrayList<>(context.getCommands());
        boolean changed = false;
        for (int i = 0; i < commands.size(); i++) {
            final String command = commands.get(i);
            // A user's own archive or -Xshare (env.java.opts.*) wins.
            if (JavaStartCommand.isJava(command)
                    && !ALREADY_SHARING.matcher(command).find()
                    && compressedOops(command)) {
                commands.set(
                        i,
                        JavaStartCommand.withJvmOptions(
                                command, jvmOptions(roleOf.apply(command))));
                changed = true;
            }
        }
        if (changed) {
            context.setCommands(commands);
        }
    }

    /** Whether the JVM a command starts uses compressed oops, as the archive's dump did. */
    static boolean compressedOops(String command) {
        if (UNCOMPRESSED.matcher(command).find()) {
            return false;
        }
        Matcher heap = MAX_HEAP.matcher(command);
        long maxHeap = 0;
        while (heap.find()) {
            long shift =
                    switch (heap.group(2).toLowerCase(Locale.ROOT)) {
                        case "k" -> 10;
                        case "m" -> 20;
                        case "g" -> 30;
                        case "t" -> 40;
                        default -> 0;
                    };
            maxHeap = Long.parseLong(heap.group(1)) << shift; // the last -Xmx wins
        }
        return maxHeap < COMPRESSED_OOPS_LIMIT;
    }

    /**
     * The JVM options, as a shell command substitution that YARN's launch script runs in the
     * container's directory. It is one line without double quotes, as YARN writes the start command
     * into {@code exec /bin/bash -c "..."}, and prints nothing (the JVM starts as without) whenever
     * something is amiss.
     */
    static String jvmOptions(Role role) {
        final String archive = "$a.jsa";
        final String use = "echo -XX:SharedArchiveFile=" + archive + " -Xlog:cds=off";
        final String enoughClasses = "[ $(wc -l < $f) -ge " + MIN_CLASSES + " ]";
        final List<String> steps =
                List.of(
                        // An archive is trusted code: only in a directory of the submitting
                        // user's own (not where YARN runs every user's containers as one).
                        "[ ${#LOCAL_USER_DIRS} -gt 0 ] && [ $(id -un) = ${USER:-} ] || exit 0",
                        "d=${LOCAL_USER_DIRS%%,*}",
                        "d=${d%/}/flink-driver-cds",
                        "case $d in *' '*) exit 0;; esac",
                        "cp=$(printf %s $CLASSPATH | awk -v RS=: -v ORS=: -v p=lib/"
                                + " '!NF{next} index($0,p)==1 && /[.]jar$/{print; next} {exit}')",
                        "[ ${#cp} -gt 0 ] || exit 0",
                        // lib/ localised per application: a new key each time, nothing to share.
                        "readlink -f $(echo $cp | tr : ' ') | grep -q /appcache/ && exit 0",
                        "mkdir -p -m 700 $d 2>/dev/null && [ -O $d ] || exit 0",
                        "find $d -maxdepth 1 -type f -mtime +"
                                + UNUSED_DAYS
                                + " -delete 2>/dev/null",
                        "find $d -maxdepth 1 -name '*.failed' -mmin +"
                                + RETRY_MINUTES
                                + " -delete 2>/dev/null",
                        "find $d -maxdepth 1 -name '*.lock' -mmin +"
                                + RETRY_MINUTES
                                + " -exec rmdir {} + 2>/dev/null",
                        // Names, sizes and times, not ls -l's block count, which changes while
                        // a file system allocates a freshly localised jar's blocks.
                        "k=$(stat -L -c %n:%s:%Y $JAVA_HOME/lib/modules $(echo $cp | tr : ' ')"
                                + " 2>/dev/null | cksum | cut -d' ' -f1)",
                        "a=$d/$k-" + role.fileName(),
                        "if [ -s "
                                + archive
                                + " ]; then touch -c "
                                + archive
                                + "; "
                                + use
                                + "; exit 0; fi",
                        "[ -e $a.failed ] && exit 0",
                        // A recorder that has ended leaves a complete list (but for a last line
                        // a SIGKILL may have cut), unless it ended while it started; one that
                        // has loaded nothing for a while (a TaskManager of a long streaming job)
                        // has one good enough to share.
                        "for f in $a.classlist.*; do [ -e $f ] || continue;"
                                + " if ! kill -0 ${f##*.} 2>/dev/null; then "
                                + enoughClasses
                                + " && "
                                + TAKE_LIST
                                + " rm -f $f;"
                                + " elif find $f -mmin +"
                                + SETTLED_MINUTES
                                + " | grep -q . && "
                                + enoughClasses
                                + "; then "
                                + TAKE_LIST
                                + " fi; done",
                        // One dump per node and role at a time: the others start as without.
                        "if [ -s $a.classlist ]; then mkdir $a.lock 2>/dev/null || exit 0;"
                                + " t=$a.jsa.tmp.$$;"
                                + " if timeout "
                                + DUMP_TIMEOUT_SECONDS
                                + " $JAVA_HOME/bin/java -Xshare:dump -Xmx128m"
                                + " -XX:+UseSerialGC -XX:TieredStopAtLevel=1"
                                + " -XX:SharedClassListFile=$a.classlist -XX:SharedArchiveFile=$t"
                                + " -cp $cp > $a.dump.log 2>&1 && mv $t "
                                + archive
                                + ";"
                                + " then "
                                + use
                                + ";"
                                + " else rm -f $t; touch $a.failed; fi;"
                                + " rmdir $a.lock; exit 0; fi",
                        "for f in $a.classlist.*; do [ -e $f ] && exit 0; done",
                        "echo -XX:DumpLoadedClassList=$a.classlist.$$");
        return "$(" + String.join("; ", steps) + ")";
    }
}
