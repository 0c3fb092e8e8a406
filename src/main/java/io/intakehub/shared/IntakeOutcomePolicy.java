package io.intakehub.shared;

import java.util.Map;

import io.intakehub.config.HubHeaders;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.NamedNode;
import org.apache.camel.Route;
import org.apache.camel.spi.RoutePolicy;
import org.apache.camel.spi.RoutePolicyFactory;
import org.apache.camel.support.RoutePolicySupport;

/**
 * Counts the inputs of the channels whose unit is one exchange — a web post ({@code ingest-web}), an email
 * ({@code ingest-email-message}), an EDI transaction ({@code ingest-edi-transaction}) — as received when the exchange
 * enters the route and under its outcome when it is done, read from what the route left on the exchange. The phone
 * channel, whose unit is a row of a file, counts in {@code PhoneIngest}; a file refused whole ({@code ingest-edi},
 * {@code ingest-phone}) is one input, dead-lettered.
 */
public class IntakeOutcomePolicy implements RoutePolicyFactory {

    private static final Map<String, String> CHANNEL_OF_ROUTE = Map.of(
            "ingest-web", "web", "ingest-email-message", "email", "ingest-edi-transaction", "edi");
    /** File routes whose rows or transactions are counted one by one; only a file refused whole counts here. */
    private static final Map<String, String> FILE_ROUTES = Map.of("ingest-edi", "edi", "ingest-phone", "phone");
    /** Set by EmailIngest when a mail's only content was EDI files given to the EDI channel. */
    private static final String EMAIL_TYPE = "HubEmailType";

    private final IntakeMetrics metrics;
    private final TransientFailures transientFailures;
    private final InputsInFlight inFlight;

    public IntakeOutcomePolicy(IntakeMetrics metrics, TransientFailures transientFailures, InputsInFlight inFlight) {
        this.metrics = metrics;
        this.transientFailures = transientFailures;
        this.inFlight = inFlight;
    }

    @Override
    public RoutePolicy createRoutePolicy(CamelContext camelContext, String routeId, NamedNode route) {
        String fileChannel = FILE_ROUTES.get(routeId);
        if (fileChannel != null) {
            // a file refused whole (unknown layout, no partner, unreadable) is one input, dead-lettered
            return new RoutePolicySupport() {
                @Override
                public void onExchangeBegin(Route r, Exchange exchange) {
                    inFlight.began(fileChannel, exchange);
                }

                @Override
                public void onExchangeDone(Route r, Exchange exchange) {
                    inFlight.ended(exchange);
                    if (exchange.getException() == null && exchange.getProperty(DeadLetters.DEAD_LETTERED) == null) {
                        transientFailures.succeeded(fileChannel);
                    }
                    if (exchange.getProperty(DeadLetters.DEAD_LETTERED) != null) {
                        metrics.received(fileChannel);
                        metrics.settled(fileChannel, exchange.getMessage().getHeader(HubHeaders.PARTNER, String.class),
                                IntakeMetrics.Outcome.DEAD_LETTERED, 1);
                    }
                }
            };
        }
        String channel = CHANNEL_OF_ROUTE.get(routeId);
        if (channel == null) {
            return null;
        }
        return new RoutePolicySupport() {
            @Override
            public void onExchangeBegin(Route r, Exchange exchange) {
                metrics.received(channel);
                if (!"edi".equals(channel)) {
                    // an EDI transaction is in work inside its file, which is tracked as the EDI input
                    inFlight.began(channel, exchange);
                }
            }

            @Override
            public void onExchangeDone(Route r, Exchange exchange) {
                inFlight.ended(exchange);
                IntakeMetrics.Outcome outcome = outcome(channel, exchange);
                if (outcome != IntakeMetrics.Outcome.RETURNED && outcome != IntakeMetrics.Outcome.DEAD_LETTERED) {
                    transientFailures.succeeded(channel);
                }
                metrics.settled(channel, exchange.getMessage().getHeader(HubHeaders.PARTNER, String.class), outcome, 1);
            }
        };
    }

    static IntakeMetrics.Outcome outcome(String channel, Exchange exchange) {
        if (exchange.getProperty(DeadLetters.DEAD_LETTERED) != null) {
            // on the dead-letter queue (or, for an operator's replay that failed again, still there)
            return IntakeMetrics.Outcome.DEAD_LETTERED;
        }
        Throwable thrown = exchange.getException();
        if (thrown != null) {
            HubException hub = Failures.cause(thrown, HubException.class);
            // web: a sender error is answered 4xx; anything else thrown back is not taken - web 503 (the client retries),
            // email and EDI leave the mail or the file to be read again
            return "web".equals(channel) && hub != null && hub.reason().isSenderFault() ? IntakeMetrics.Outcome.REJECTED
                    : IntakeMetrics.Outcome.RETURNED;
        }
        if ("edi".equals(channel) && "acknowledgement".equals(exchange.getMessage().getHeader("HubEdiKind"))) {
            return IntakeMetrics.Outcome.RECORDED;
        }
        if (exchange.getMessage().getHeader(HubHeaders.DUPLICATE_OF) != null) {
            return IntakeMetrics.Outcome.DUPLICATE;
        }
        if ("email".equals(channel) && "edi".equals(exchange.getProperty(EMAIL_TYPE))) {
            return IntakeMetrics.Outcome.HANDED_OVER;
        }
        return IntakeMetrics.Outcome.ACCEPTED;
    }
}
