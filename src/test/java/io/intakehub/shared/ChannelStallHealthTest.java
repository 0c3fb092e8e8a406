package io.intakehub.shared;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;

import io.intakehub.config.HubHeaders;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.Status;

/** A channel held by one input past the stall time is DOWN, names the input and its age, and is UP once it ends. */
class ChannelStallHealthTest {

    @Test
    void aChannelHeldByOneInputIsDownNamingItAndUpOnceItEnds() throws Exception {
        InputsInFlight inFlight = new InputsInFlight();
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        ChannelStallHealth health = new ChannelStallHealth(inFlight, Duration.ofMillis(50), registry);
        Exchange held = new DefaultExchange(new DefaultCamelContext());
        held.getMessage().setHeader(HubHeaders.SOURCE_REF, "<slow-0001@customer.example>");
        Exchange quick = new DefaultExchange(new DefaultCamelContext());
        inFlight.began("email", held);
        inFlight.began("web", quick);
        assertThat(health.health().getStatus()).isEqualTo(Status.UP);
        Thread.sleep(120);
        inFlight.ended(quick);
        Health down = health.health();
        assertThat(down.getStatus()).isEqualTo(Status.DOWN);
        @SuppressWarnings("unchecked")
        Map<String, Map<String, Object>> stalled = (Map<String, Map<String, Object>>) down.getDetails().get("stalled");
        assertThat(stalled).containsOnlyKeys("email");
        assertThat(stalled.get("email")).containsEntry("input", "<slow-0001@customer.example>");
        assertThat(registry.get("hub.channel.oldest.input").tag("channel", "email").gauge().value()).isGreaterThan(0.1);
        assertThat(registry.get("hub.channel.oldest.input").tag("channel", "web").gauge().value()).isZero();
        inFlight.ended(held);
        assertThat(health.health().getStatus()).isEqualTo(Status.UP);
    }
}
