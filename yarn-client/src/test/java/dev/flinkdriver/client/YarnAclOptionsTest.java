package dev.flinkdriver.client;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.yarn.configuration.YarnConfigOptions;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class YarnAclOptionsTest {

    @Test
    void theDocumentedOldKeysReachFlinksKeys() {
        Configuration c = new Configuration();
        c.setString("yarn.application.view-acls", "viewer");
        c.setString("yarn.application.modify-acls", "operator ops");

        YarnAclOptions.applyDeprecatedKeys(c);

        assertThat(c.get(YarnConfigOptions.APPLICATION_VIEW_ACLS)).isEqualTo("viewer");
        assertThat(c.get(YarnConfigOptions.APPLICATION_MODIFY_ACLS)).isEqualTo("operator ops");
    }

    @Test
    void flinksKeysWin() {
        Configuration c = new Configuration();
        c.setString("yarn.application.view-acls", "old");
        c.set(YarnConfigOptions.APPLICATION_VIEW_ACLS, "new");

        YarnAclOptions.applyDeprecatedKeys(c);

        assertThat(c.get(YarnConfigOptions.APPLICATION_VIEW_ACLS)).isEqualTo("new");
        assertThat(c.contains(YarnConfigOptions.APPLICATION_MODIFY_ACLS)).isFalse();
    }
}
