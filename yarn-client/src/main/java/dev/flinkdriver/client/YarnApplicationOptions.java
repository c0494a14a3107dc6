package dev.flinkdriver.client;

import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

/** YARN settings of a driver application that Flink itself has no option for. */
public final class YarnApplicationOptions {

    private YarnApplicationOptions() {}

    public static final ConfigOption<String> VIEW_ACLS =
            ConfigOptions.key("yarn.application.view-acls")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "Who may view the YARN application (report, diagnostics, tracking"
                                    + " URL), in YARN's ACL format: 'user1,user2 group1,group2',"
                                    + " '*' for everyone. The owner and YARN admins always may."
                                    + " Effective when YARN runs with yarn.acl.enable=true.");

    public static final ConfigOption<String> MODIFY_ACLS =
            ConfigOptions.key("yarn.application.modify-acls")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "Who may modify (kill, move, re-prioritise) the YARN application, in"
                                    + " YARN's ACL format: 'user1,user2 group1,group2'. The owner"
                                    + " and YARN admins always may.");
}
