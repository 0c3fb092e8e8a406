package io.intakehub.ingest.email;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import io.intakehub.config.HubHeaders;
import io.intakehub.shared.DeadLetters;
import io.intakehub.shared.HubException;
import io.intakehub.shared.ReasonCode;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.mail.MailConstants;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Step {@code email-within-budget} of {@code ingest-email}: each mail is read, mapped and judged on a worker thread
 * within {@code hub.limits.processing-timeout}. Past it the mail is dead-lettered as {@code PROCESSING_TIMEOUT} with
 * its raw bytes and moved to quarantine, and the poller goes on with the next mail; the worker, if it ever gets
 * further, finds the mail given up at step {@code email-still-wanted} and stops before Kafka. A mail that reached
 * Kafka first is waited for (the write is bounded by Kafka's own timeouts), so a mail is never both accepted and
 * dead-lettered. Workers are daemon threads: none keeps the hub from stopping.
 */
public class EmailWatchdog implements org.apache.camel.Processor {

    private static final Logger LOG = LoggerFactory.getLogger(EmailWatchdog.class);
    /** Exchange property: the mail's state between the worker and the watchdog (0 in work, 1 accepting, 2 given up). */
    static final String STATE = "HubEmailBudget";

    private final ProducerTemplate template;
    private final Duration budget;
    private final String quarantine;
    private final ExecutorService workers = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "email-input");
        t.setDaemon(true);
        return t;
    });

    private final EmailIngest ingest;

    public EmailWatchdog(ProducerTemplate template, EmailIngest ingest, Duration budget, String quarantine) {
        this.template = template;
        this.ingest = ingest;
        this.budget = budget;
        this.quarantine = quarantine;
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        // the mail server is spoken to on the consumer's thread only: the bytes are read here, the worker gets them
        byte[] raw = ingest.rawBytes(exchange.getMessage());
        if (raw == null) {
            // too large: refused without being read, nothing to time
            template.send("direct:ingest-email-message", exchange);
            return;
        }
        Exchange work = exchange.copy();
        work.setMessage(new org.apache.camel.support.DefaultMessage(work));
        work.getMessage().setBody(raw);
        AtomicInteger state = new AtomicInteger();
        work.setProperty(STATE, state);
        Future<Exchange> result = workers.submit(() -> template.send("direct:ingest-email-message", work));
        Exchange done;
        try {
            done = result.get(budget.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException late) {
            if (!state.compareAndSet(0, 2)) {
                done = result.get(); // already writing to Kafka: its outcome stands
            } else {
                result.cancel(true);
                timedOut(exchange, raw);
                return;
            }
        }
        // what the consumer acts on: where the mail goes, or the failure that leaves it in the inbox
        Object moveTo = done.getMessage().getHeader(MailConstants.MAIL_MOVE_TO);
        if (moveTo != null) {
            exchange.getMessage().setHeader(MailConstants.MAIL_MOVE_TO, moveTo);
        }
        exchange.setException(done.getException());
    }

    /** Step {@code email-still-wanted}: the worker goes on to Kafka only if the watchdog has not given the mail up. */
    public static void stillWanted(Exchange exchange) {
        AtomicInteger state = exchange.getProperty(STATE, AtomicInteger.class);
        if (state != null && !state.compareAndSet(0, 1)) {
            LOG.info("A mail given up by the watchdog is not taken any further");
            // counted as what it is: dead-lettered (by the watchdog)
            exchange.setProperty(DeadLetters.DEAD_LETTERED, Boolean.TRUE);
            exchange.setRouteStop(true);
        }
    }

    private void timedOut(Exchange exchange, byte[] raw) throws Exception {
        // the worker reads the headers of every mail; only a mail given up needs them here, for its dead letter
        String messageId = RawHeaders.parse(raw).ascii("Message-ID");
        Exchange dl = exchange.copy();
        dl.setMessage(new org.apache.camel.support.DefaultMessage(dl));
        dl.getMessage().setBody(raw == null ? new byte[0] : raw);
        dl.getMessage().setHeader(HubHeaders.CHANNEL, "email");
        if (messageId != null) {
            dl.getMessage().setHeader(HubHeaders.SOURCE_REF, io.intakehub.shared.Hashes.fitted(messageId, 500));
        }
        LOG.warn("Mail {} not read within {}; dead-lettered as PROCESSING_TIMEOUT and quarantined", messageId, budget);
        DeadLetters.send(template, dl, new HubException(ReasonCode.PROCESSING_TIMEOUT, "the mail was not read, mapped and judged within "
                + budget.toMillis() + " ms (hub.limits.processing-timeout)"), "ingest-email-message");
        exchange.getMessage().setHeader(MailConstants.MAIL_MOVE_TO, quarantine);
    }

    /** The bean's destroy method. */
    public void close() {
        workers.shutdownNow();
    }
}
