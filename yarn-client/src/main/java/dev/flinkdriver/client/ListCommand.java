package dev.flinkdriver.client;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.node.ArrayNode;

import org.apache.hadoop.yarn.api.records.ApplicationReport;
import org.apache.hadoop.yarn.api.records.YarnApplicationState;
import org.apache.hadoop.yarn.client.api.YarnClient;

import java.io.PrintStream;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * {@code flink-driver list [--all] [--output json]}: the driver applications on YARN (those tagged
 * {@value DriverRunCommand#TAG}), running ones unless {@code --all}, one line each.
 */
final class ListCommand {

    private final Configuration flinkConfig;
    private final PrintStream out;

    ListCommand(Configuration flinkConfig, PrintStream out) {
        this.flinkConfig = flinkConfig;
        this.out = out;
    }

    int run(String[] args) throws Exception {
        CommandArgs a = CommandArgs.parse(args, CommandArgs.ALL, CommandArgs.OUTPUT);
        if (!a.positional().isEmpty()) {
            throw CliException.usage("Usage: flink-driver list [--all] [--output json]");
        }
        EnumSet<YarnApplicationState> states =
                a.has(CommandArgs.ALL)
                        ? EnumSet.allOf(YarnApplicationState.class)
                        : YarnApplicationStates.live();
        try (YarnClient yarn = YarnClients.start(flinkConfig)) {
            List<ApplicationReport> apps =
                    yarn.getApplications(null, states, Set.of(DriverRunCommand.TAG)).stream()
                            .sorted(Comparator.comparingLong(ApplicationReport::getStartTime))
                            .toList();
            if (a.json()) {
                ArrayNode array = new ObjectMapper().createArrayNode();
                apps.forEach(r -> array.add(StatusCommand.toJson(r, StatusCommand.Live.NONE)));
                out.println(array);
            } else {
                for (ApplicationReport r : apps) {
                    out.printf(
                            "%s  %-8s %-9s %4.0f%%  %-14s %s%n",
                            r.getApplicationId(),
                            r.getYarnApplicationState(),
                            r.getFinalApplicationStatus(),
                            r.getProgress() * 100,
                            r.getQueue(),
                            r.getName());
                }
            }
            return 0;
        }
    }
}
