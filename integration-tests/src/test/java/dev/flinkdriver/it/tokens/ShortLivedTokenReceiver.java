package dev.flinkdriver.it.tokens;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.security.token.DelegationTokenReceiver;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands each {@link ShortLivedToken} the TaskManager receives to {@link ShortLivedTokens}, where
 * main() and tasks read it, as Flink's Hadoop receiver hands HDFS tokens to the current UGI.
 */
public final class ShortLivedTokenReceiver implements DelegationTokenReceiver {

    private static final Logger LOG = LoggerFactory.getLogger(ShortLivedTokenReceiver.class);

    @Override
    public String serviceName() {
        return ShortLivedTokenProvider.SERVICE_NAME;
    }

    @Override
    public void init(Configuration configuration) {}

    @Override
    public void onNewTokensObtained(byte[] tokens) {
        ShortLivedToken token = ShortLivedToken.decode(tokens);
        ShortLivedTokens.arrived(token);
        LOG.info("Received test token {}", token);
    }
}
