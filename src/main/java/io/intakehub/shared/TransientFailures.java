package io.intakehub.shared;

import java.util.LinkedHashMap;
import java.util.Map;

import io.intakehub.config.HubHeaders;
import org.apache.camel.Exchange;

/**
 * Which failures leave an input in its source to be read again, the one place the channel families ask
 * ({@code onWhen} of each family's transient policy in {@code routes/shared/error-handling}).
 *
 * <p>A failure is transient when the infrastructure did not answer (Kafka, the broker, the store, the mail server, the
 * disk) — not when the store refused a value (a value too long for its column, a broken constraint: the same input
 * fails the same way every time). And a transient-looking failure that repeats on the same input while other inputs
 * of its channel are taken is the input's, not the infrastructure's: after {@code hub.limits.repeated-failures}
 * attempts the input is dead-lettered as {@code REPEATED_FAILURE} instead of being retried for ever.
 */
public class TransientFailures {

    /** Exchange property: why the input's repeated failure was made permanent (read by the dead-letter step). */
    public static final String REPEATED = "HubRepeatedFailure";
    /** Exchange property a channel may set: what identifies the input across its re-reads (a mail's Message-ID). */
    public static final String INPUT_KEY = "HubInputKey";

    private static final int REMEMBERED = 10_000;
    private static final String DECIDED = "HubTransientDecided";

    private final int attempts;
    private final Map<String, Attempts> failing = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Attempts> eldest) {
            return size() > REMEMBERED;
        }
    };
    private final Map<String, Long> lastSuccess = new java.util.concurrent.ConcurrentHashMap<>();

    /** One input's failures: counted once for its first and then once for each after which others were taken. */
    private static final class Attempts {
        long lastAt;
        int count;
        String signature;
    }

    public TransientFailures(int attempts) {
        this.attempts = Math.max(1, attempts);
    }

    /** The store did not answer (connection, timeout, lock), as opposed to refusing a value. */
    public static boolean isStoreUnavailable(Throwable t) {
        org.springframework.dao.DataAccessException d = Failures.cause(t, org.springframework.dao.DataAccessException.class);
        if (d == null) {
            return false;
        }
        // a key taken by another writer is a race the caller settles by reading again; any other refused value is final
        return d instanceof org.springframework.dao.DuplicateKeyException
                || !(d instanceof org.springframework.dao.DataIntegrityViolationException
                        || d instanceof org.springframework.dao.InvalidDataAccessApiUsageException
                        || d instanceof org.springframework.dao.InvalidDataAccessResourceUsageException);
    }

    /** Kafka, the JMS broker or the store did not answer. */
    public static boolean isInfrastructure(Throwable t) {
        return Failures.cause(t, org.apache.kafka.common.KafkaException.class) != null
                || Failures.cause(t, jakarta.jms.JMSException.class) != null
                || Failures.cause(t, org.springframework.jms.JmsException.class) != null
                || isStoreUnavailable(t);
    }

    /**
     * {@code onWhen} of a family's transient policy: true while the failure may pass by itself. A value the mail
     * library cannot parse is never transient, whatever it is wrapped in.
     */
    public boolean test(Exchange exchange) {
        Throwable t = exchange.getException() != null ? exchange.getException()
                : exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        if (t == null) {
            return false;
        }
        if (Failures.cause(t, jakarta.mail.internet.ParseException.class) != null) {
            return false;
        }
        org.springframework.dao.DataAccessException d = Failures.cause(t, org.springframework.dao.DataAccessException.class);
        if (d != null && !isStoreUnavailable(t) && Failures.cause(t, org.apache.kafka.common.KafkaException.class) == null) {
            return false;
        }
        // Camel may ask more than once for one failure (once per exception of its cause chain): counted once
        String asked = System.identityHashCode(t) + ":";
        String before = exchange.getProperty(DECIDED, String.class);
        if (before != null && before.startsWith(asked)) {
            return Boolean.parseBoolean(before.substring(asked.length()));
        }
        boolean transientFailure = !repeated(exchange, t);
        exchange.setProperty(DECIDED, asked + transientFailure);
        return transientFailure;
    }

    /** A channel took an input: inputs failing alone since before now are failing for a reason of their own. */
    public void succeeded(String channel) {
        if (channel != null) {
            lastSuccess.put(channel, System.nanoTime());
        }
    }

    /**
     * Counts one transient failure of the exchange's input; true (and the reason set on the exchange) once it has
     * failed {@code attempts} times the same way, its channel taking other inputs between the failures.
     */
    boolean repeated(Exchange exchange, Throwable t) {
        String key = inputKey(exchange);
        if (key == null) {
            return false;
        }
        String channel = exchange.getMessage().getHeader(HubHeaders.CHANNEL, String.class);
        if (channel == null && exchange.getFromRouteId() != null) {
            channel = DeadLetters.channelOf(exchange.getFromRouteId());
        }
        String signature = t.getClass().getName() + ": " + String.valueOf(rootMessage(t));
        Long success = channel == null ? null : lastSuccess.get(channel);
        long now = System.nanoTime();
        int count;
        synchronized (failing) {
            Attempts a = failing.computeIfAbsent(key, k -> new Attempts());
            if (!signature.equals(a.signature)) {
                a.signature = signature;
                a.count = 0;
            }
            // while the whole channel fails (nothing taken since this input last failed) the count stands still:
            // that is an outage, and the input waits for it to pass
            if (a.count == 0 || (success != null && success - a.lastAt > 0)) {
                a.count++;
            }
            a.lastAt = now;
            count = a.count;
            if (count >= attempts) {
                failing.remove(key);
            }
        }
        if (count >= attempts) {
            exchange.setProperty(REPEATED, "failed " + count + " times with the same error while other " + channel
                    + " inputs were taken: " + signature);
            return true;
        }
        return false;
    }

    /** What identifies the input across its re-reads: a channel's own key, else the file as the consumer saw it. */
    static String inputKey(Exchange exchange) {
        String own = exchange.getProperty(INPUT_KEY, String.class);
        if (own != null) {
            return own;
        }
        org.apache.camel.Message m = exchange.getMessage();
        String path = m.getHeader(Exchange.FILE_PATH, String.class);
        if (path != null) {
            return "file:" + path + "|" + m.getHeader(Exchange.FILE_LENGTH) + "|" + m.getHeader(Exchange.FILE_LAST_MODIFIED);
        }
        String ref = m.getHeader(HubHeaders.SOURCE_REF, String.class);
        return ref == null ? null : "ref:" + ref;
    }

    private static String rootMessage(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage();
    }
}
