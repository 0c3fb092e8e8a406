package io.intakehub.shared;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;

/**
 * Health component {@code channelStall}: DOWN while a channel has an input in work for longer than
 * {@code hub.limits.stall-after} (the poller held, the inputs behind it waiting), with the channel, the input and its
 * age; {@code hub_channel_oldest_input_seconds{channel}} gives the same to Prometheus ({@code HubChannelStalled}).
 */
public class ChannelStallHealth implements HealthIndicator {

    private final InputsInFlight inFlight;
    private final Duration stallAfter;

    public ChannelStallHealth(InputsInFlight inFlight, Duration stallAfter, MeterRegistry registry) {
        this.inFlight = inFlight;
        this.stallAfter = stallAfter;
        for (String channel : IntakeMetrics.CHANNELS) {
            Gauge.builder("hub.channel.oldest.input", inFlight, f -> f.oldest(channel).map(i -> i.age().toMillis() / 1000.0).orElse(0.0))
                    .baseUnit("seconds").tag("channel", channel)
                    .description("How long the channel's oldest input in work has been in work (0 when none is)").register(registry);
        }
    }

    @Override
    public Health health() {
        Map<String, Object> stalled = new LinkedHashMap<>();
        for (String channel : IntakeMetrics.CHANNELS) {
            inFlight.oldest(channel).filter(i -> i.stalled(stallAfter)).ifPresent(i -> stalled.put(channel,
                    Map.of("input", i.describe(), "inWorkSeconds", i.age().toSeconds())));
        }
        Health.Builder b = stalled.isEmpty() ? Health.up() : Health.down();
        return b.withDetail("stallAfterSeconds", stallAfter.toSeconds()).withDetail("stalled", stalled).build();
    }
}
