package dev.flinkdriver.dispatcher;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class FailureRequestsTest {

    @Test
    void aFailureRequestedBeforeTheDispatcherListensIsHandedOverOnce() {
        FailureRequests requests = new FailureRequests();
        IllegalStateException first = new IllegalStateException("queue full");
        requests.request(first);
        requests.request(new IllegalStateException("later"));

        List<Throwable> seen = new ArrayList<>();
        requests.listen(seen::add);

        assertThat(seen).containsExactly(first);
    }

    @Test
    void aListeningDispatcherGetsEachRequest() {
        FailureRequests requests = new FailureRequests();
        List<Throwable> seen = new ArrayList<>();
        requests.listen(seen::add);
        IllegalStateException cause = new IllegalStateException("queue full");

        requests.request(cause);

        assertThat(seen).containsExactly(cause);
    }
}
