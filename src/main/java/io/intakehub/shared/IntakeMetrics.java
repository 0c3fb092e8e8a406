package io.intakehub.shared;

import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.stereotype.Component;

/**
 * What came in and how it ended, per channel — the hub's reconciliation: every input a channel
 * takes is counted once as received and, when it has settled, once under exactly one outcome, so at every moment
 * {@code received = accepted + duplicate + recorded + rejected + dead_lettered + returned + handed_over + skipped +
 * in_flight}. The unit is what the hub turns into one message: a web post, an email, an EDI transaction, a phone
 * export row (a file refused whole counts as one). Exposed as {@code hub_intake_received_total{channel}},
 * {@code hub_intake_settled_total{channel,outcome}}, {@code hub_intake_in_flight{channel}} and, per partner (EDI
 * partner, phone profile, web client), {@code hub_intake_partner_settled_total} and
 * {@code hub_intake_partner_last_input_seconds} (for "no input from a partner for N hours" alerts).
 */
@Component
public class IntakeMetrics {

    /** How an input settled. */
    public enum Outcome {
        /** On its Kafka topic. */
        ACCEPTED,
        /** The same input or the same business document was taken before; not delivered again. */
        DUPLICATE,
        /** Kept in the journal only (a phone inquiry, a call-detail record, an incoming 997/CONTRL). */
        RECORDED,
        /** Answered to the sender as wrong (web 4xx), not dead-lettered. */
        REJECTED,
        DEAD_LETTERED,
        /** Not taken: left in its source to be read again (Kafka, Artemis, the store down) or answered 503. */
        RETURNED,
        /** An email's EDI attachment given to the EDI channel, which counts its transactions itself. */
        HANDED_OVER,
        /** A blank phone export row. */
        SKIPPED
    }

    /** The channels counted. */
    public static final String[] CHANNELS = {"web", "email", "edi", "phone"};

    private final MeterRegistry registry;
    private final Map<String, Channel> channels = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> lastInput = new ConcurrentHashMap<>();

    private final class Channel {
        final Counter received;
        final Map<Outcome, Counter> settled = new EnumMap<>(Outcome.class);

        Channel(String name) {
            received = Counter.builder("hub.intake.received").description("Inputs a channel took in (web posts, emails, EDI "
                    + "transactions, phone rows)").tag("channel", name).register(registry);
            for (Outcome o : Outcome.values()) {
                settled.put(o, Counter.builder("hub.intake.settled").description("Inputs settled, by outcome")
                        .tag("channel", name).tag("outcome", o.name().toLowerCase()).register(registry));
            }
            Gauge.builder("hub.intake.in.flight", this, Channel::inFlight).description("Inputs received and not yet settled")
                    .tag("channel", name).register(registry);
        }

        double inFlight() {
            double done = 0;
            for (Counter c : settled.values()) {
                done += c.count();
            }
            return received.count() - done;
        }
    }

    public IntakeMetrics(MeterRegistry registry) {
        this.registry = registry;
        for (String c : CHANNELS) {
            channel(c);
            // registered up front so the series exists before the first receipt (receiptSent reaches it through the global registry)
            Counter.builder("hub.receipts.sent").description("Receipts sent to senders (email acknowledgements, 997/999/CONTRL, .ack.csv files)")
                    .tag("channel", c).register(registry);
        }
    }

    private Channel channel(String name) {
        return channels.computeIfAbsent(name == null ? "unknown" : name, Channel::new);
    }

    public void received(String channel) {
        received(channel, 1);
    }

    public void received(String channel, long n) {
        channel(channel).received.increment(n);
    }

    public void settled(String channel, Outcome outcome) {
        settled(channel, null, outcome, 1);
    }

    /** {@code n} inputs of a channel settled; with a partner (bounded by configuration), counted for it too. */
    public void settled(String channel, String partner, Outcome outcome, long n) {
        if (n <= 0) {
            return;
        }
        channel(channel).settled.get(outcome).increment(n);
        if (partner != null && !partner.isBlank()) {
            Counter.builder("hub.intake.partner.settled").description("Inputs settled per partner (EDI partner, phone profile, web client)")
                    .tag("channel", channel).tag("partner", partner).tag("outcome", outcome.name().toLowerCase()).register(registry).increment(n);
            lastInput.computeIfAbsent(channel + "\u001f" + partner, k -> {
                AtomicLong at = new AtomicLong();
                Gauge.builder("hub.intake.partner.last.input.seconds", at, AtomicLong::get)
                        .description("When the partner's last input settled (epoch seconds)").tag("channel", channel).tag("partner", partner)
                        .register(registry);
                return at;
            }).set(Instant.now().getEpochSecond());
        }
    }

    /**
     * A receipt went to a sender ({@code hub_receipts_sent_total{channel}}): an email acknowledgement, an EDI
     * 997/999/CONTRL, a phone export's {@code .ack.csv}. On Micrometer's global registry, which Spring Boot's
     * registries join, so the channels need no wiring for it.
     */
    public static void receiptSent(String channel) {
        io.micrometer.core.instrument.Metrics.globalRegistry.counter("hub.receipts.sent", "channel", channel).increment();
    }

    /** Received minus settled, now. */
    public double inFlight(String channel) {
        return channel(channel).inFlight();
    }

    public double receivedCount(String channel) {
        return channel(channel).received.count();
    }

    public double settledCount(String channel, Outcome outcome) {
        return channel(channel).settled.get(outcome).count();
    }
}
