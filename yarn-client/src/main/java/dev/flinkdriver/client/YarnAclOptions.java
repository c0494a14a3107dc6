package dev.flinkdriver.client;

import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.yarn.configuration.YarnConfigOptions;

/**
 * The YARN application ACLs are Flink's own settings ({@code yarn.view.acls}, {@code
 * yarn.modify.acls}, FLIP-312), which Flink's YARN deployment applies. flink-driver once documented
 * keys of its own for them; those still work, as deprecated keys of Flink's.
 */
public final class YarnAclOptions {

    private YarnAclOptions() {}

    /** Flink's {@link YarnConfigOptions#APPLICATION_VIEW_ACLS}, also read from the old key. */
    public static final ConfigOption<String> VIEW_ACLS =
            ConfigOptions.key(YarnConfigOptions.APPLICATION_VIEW_ACLS.key())
                    .stringType()
                    .noDefaultValue()
                    .withDeprecatedKeys("yarn.application.view-acls")
                    .withDescription(
                            "Who may view the YARN application (report, diagnostics, tracking"
                                    + " URL), in YARN's ACL format: 'user1,user2 group1,group2',"
                                    + " '*' for everyone. Flink's own setting; the deprecated"
                                    + " yarn.application.view-acls is read too.");

    /** Flink's {@link YarnConfigOptions#APPLICATION_MODIFY_ACLS}, also read from the old key. */
    public static final ConfigOption<String> MODIFY_ACLS =
            ConfigOptions.key(YarnConfigOptions.APPLICATION_MODIFY_ACLS.key())
                    .stringType()
                    .noDefaultValue()
                    .withDeprecatedKeys("yarn.application.modify-acls")
                    .withDescription(
                            "Who may modify (kill, move, re-prioritise) the YARN application, in"
                                    + " YARN's ACL format: 'user1,user2 group1,group2'. Flink's own"
                                    + " setting; the deprecated yarn.application.modify-acls is"
                                    + " read too.");

    /** Moves a deprecated key's value to Flink's key (Flink logs the deprecation). */
    static void applyDeprecatedKeys(Configuration effective) {
        effective
                .getOptional(VIEW_ACLS)
                .ifPresent(v -> effective.set(YarnConfigOptions.APPLICATION_VIEW_ACLS, v));
        effective
                .getOptional(MODIFY_ACLS)
                .ifPresent(v -> effective.set(YarnConfigOptions.APPLICATION_MODIFY_ACLS, v));
    }
}
