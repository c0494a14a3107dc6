package dev.flinkdriver.it.tokens;

import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.security.token.DelegationTokenProvider;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Issues {@link ShortLivedToken}s valid for a few seconds, so that the JobManager's token manager
 * renews them every few seconds, as it renews an HDFS token every 18 hours. Found by Flink's
 * service loader on the cluster's class path (shipped with {@code -yt}); needs no Kerberos.
 */
public final class ShortLivedTokenProvider implements DelegationTokenProvider {

    static final String SERVICE_NAME = "short-lived";

    /** How long an issued token is valid. */
    public static final ConfigOption<Duration> VALIDITY =
            ConfigOptions.key(CONFIG_PREFIX + "." + SERVICE_NAME + ".validity")
                    .durationType()
                    .defaultValue(Duration.ofSeconds(6))
                    .withDescription("How long a test token is valid.");

    private static final Logger LOG = LoggerFactory.getLogger(ShortLivedTokenProvider.class);

    private final AtomicLong serials = new AtomicLong();

    private Duration validity;

    private String issuer;

    @Override
    public String serviceName() {
        return SERVICE_NAME;
    }

    @Override
    public void init(Configuration configuration) {
        validity = configuration.get(VALIDITY);
        // YARN names every container's JVM in its environment; the ApplicationMaster's tells one
        // JobManager attempt from the next.
        issuer =
                Optional.ofNullable(System.getenv("CONTAINER_ID"))
                        .orElse("pid-" + ProcessHandle.current().pid());
    }

    @Override
    public boolean delegationTokensRequired() {
        return true;
    }

    @Override
    public ObtainedDelegationTokens obtainDelegationTokens() {
        ShortLivedToken token =
                new ShortLivedToken(
                        issuer,
                        serials.incrementAndGet(),
                        System.currentTimeMillis() + validity.toMillis());
        LOG.info("Issued test token {}", token);
        return new ObtainedDelegationTokens(token.encode(), Optional.of(token.validUntil()));
    }
}
