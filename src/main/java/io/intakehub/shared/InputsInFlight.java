package io.intakehub.shared;

import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import io.intakehub.config.HubHeaders;
import org.apache.camel.Exchange;

/**
 * The inputs each channel is working on right now, with when each began: what tells a slow channel from a stalled
 * one. A channel whose oldest input has been in work longer than {@code hub.limits.stall-after} is stalled — its
 * poller is held by that one input while the rest wait — and {@link ChannelStallHealth} says so, naming it.
 */
public class InputsInFlight {

    /** One input in work: its channel, its exchange (read for where it came from) and when it began. */
    public record InFlight(String channel, Exchange exchange, long startedNanos) {

        /** Where the input came from, as far as the channel has said yet. */
        public String describe() {
            Object ref = exchange.getMessage().getHeader(HubHeaders.SOURCE_REF);
            if (ref == null) {
                ref = exchange.getProperty(TransientFailures.INPUT_KEY);
            }
            if (ref == null) {
                ref = exchange.getMessage().getHeader(Exchange.FILE_NAME);
            }
            return ref == null ? "exchange " + exchange.getExchangeId() : Hashes.fitted(ref.toString(), 300);
        }

        /** The route that took the input in. */
        public String route() {
            return exchange.getFromRouteId();
        }

        public Duration age() {
            return Duration.ofNanos(System.nanoTime() - startedNanos);
        }

        /** In work for longer than the stall time: its channel is held by it. */
        public boolean stalled(Duration stallAfter) {
            return age().compareTo(stallAfter) > 0;
        }
    }

    private final Map<String, InFlight> byExchange = new ConcurrentHashMap<>();

    void began(String channel, Exchange exchange) {
        byExchange.put(exchange.getExchangeId(), new InFlight(channel, exchange, System.nanoTime()));
    }

    void ended(Exchange exchange) {
        byExchange.remove(exchange.getExchangeId());
    }

    /** The channel's inputs in work, the oldest first. */
    public java.util.List<InFlight> inWork(String channel) {
        return of(channel).sorted(OLDEST_FIRST).toList();
    }

    /** The channel's input in work the longest, if any. */
    public Optional<InFlight> oldest(String channel) {
        return of(channel).min(OLDEST_FIRST);
    }

    private static final Comparator<InFlight> OLDEST_FIRST = Comparator.comparingLong(InFlight::startedNanos);

    private java.util.stream.Stream<InFlight> of(String channel) {
        return byExchange.values().stream().filter(f -> f.channel().equals(channel));
    }
}
