package dev.flinkdriver.it.tokens;

import java.nio.charset.StandardCharsets;

/**
 * A test delegation token: who issued it (the ApplicationMaster's container), its serial number
 * within that issuer, and until when it is valid (epoch milliseconds).
 */
public record ShortLivedToken(String issuer, long serial, long validUntil) {

    byte[] encode() {
        return (issuer + " " + serial + " " + validUntil).getBytes(StandardCharsets.UTF_8);
    }

    static ShortLivedToken decode(byte[] bytes) {
        String[] fields = new String(bytes, StandardCharsets.UTF_8).split(" ");
        return new ShortLivedToken(fields[0], Long.parseLong(fields[1]), Long.parseLong(fields[2]));
    }

    @Override
    public String toString() {
        return issuer + " " + serial + " " + validUntil;
    }
}
