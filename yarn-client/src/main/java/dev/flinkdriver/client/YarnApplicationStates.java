package dev.flinkdriver.client;

import org.apache.hadoop.yarn.api.records.ApplicationReport;
import org.apache.hadoop.yarn.api.records.YarnApplicationState;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;

/** When YARN is done with an application: the states in which it has recorded a final status. */
public final class YarnApplicationStates {

    /** FINISHED, FAILED and KILLED: YARN's states that no application leaves. */
    public static final Set<YarnApplicationState> FINAL =
            Collections.unmodifiableSet(
                    EnumSet.of(
                            YarnApplicationState.FINISHED,
                            YarnApplicationState.FAILED,
                            YarnApplicationState.KILLED));

    private YarnApplicationStates() {}

    /** The states of an application that YARN still runs or is about to. */
    public static EnumSet<YarnApplicationState> live() {
        return EnumSet.complementOf(EnumSet.copyOf(FINAL));
    }

    public static boolean isFinal(ApplicationReport report) {
        return FINAL.contains(report.getYarnApplicationState());
    }
}
