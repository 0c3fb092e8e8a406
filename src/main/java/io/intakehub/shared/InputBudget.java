package io.intakehub.shared;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The per-input time budget, {@code hub.limits.processing-timeout}: one input (a mail, a web post, an EDI transaction)
 * is read, mapped and judged on a worker thread while the channel's own thread waits at most the budget. Java cannot
 * stop a thread that computes, so past the budget the input is <em>given up</em>: the caller refuses it with
 * {@code PROCESSING_TIMEOUT} and its raw bytes and takes the next input, and the worker, should it ever get further,
 * is stopped at the first of the steps that would make its work visible ({@link #stillWanted} before Kafka, the dead
 * letter route for a late failure). An input whose Kafka write has begun is waited for instead (the write is bounded by
 * Kafka's own timeouts), so an input is never both accepted and refused. Workers are daemon threads: none keeps the
 * hub from stopping. (The phone channel maps its rows on threads of its own and watches them against the same budget.)
 */
public final class InputBudget {

    private static final Logger LOG = LoggerFactory.getLogger(InputBudget.class);
    /** Exchange property: the input's state between the worker and the waiting thread. */
    public static final String STATE = "HubInputBudget";
    private static final int IN_WORK = 0;
    private static final int ACCEPTING = 1;
    private static final int GIVEN_UP = 2;

    private final ProducerTemplate template;
    private final Duration budget;
    private final ExecutorService workers;

    public InputBudget(ProducerTemplate template, Duration budget, String threadName) {
        this.template = template;
        this.budget = budget;
        this.workers = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            return t;
        });
    }

    public Duration budget() {
        return budget;
    }

    /**
     * Sends {@code work} to {@code endpoint} on a worker thread: the exchange the worker finished with, or null when the
     * budget ran out first and the input is given up (the caller refuses it; see {@link #timeout}).
     */
    public Exchange send(String endpoint, Exchange work) throws Exception {
        return send(template.getCamelContext().getEndpoint(endpoint), work);
    }

    /** {@link #send(String, Exchange)} to an endpoint looked up once. */
    public Exchange send(org.apache.camel.Endpoint endpoint, Exchange work) throws Exception {
        AtomicInteger state = new AtomicInteger(IN_WORK);
        work.setProperty(STATE, state);
        java.util.Map<String, String> mdc = org.slf4j.MDC.getCopyOfContextMap();
        Future<Exchange> result = workers.submit(() -> {
            // the caller's log context (a web post's correlation id) on the worker's lines too
            if (mdc != null) {
                org.slf4j.MDC.setContextMap(mdc);
            }
            try {
                return template.send(endpoint, work);
            } finally {
                org.slf4j.MDC.clear();
            }
        });
        try {
            return result.get(budget.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException late) {
            if (!state.compareAndSet(IN_WORK, GIVEN_UP)) {
                return outcome(result); // already writing to Kafka: its outcome stands
            }
            result.cancel(true);
            return null;
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception x ? x : e;
        }
    }

    private static Exchange outcome(Future<Exchange> result) throws Exception {
        try {
            return result.get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception x ? x : e;
        }
    }

    /** The refusal of an input given up: {@code what} names it ("the mail", "the post", "transaction 850 0001"). */
    public HubException timeout(String what) {
        return new HubException(ReasonCode.PROCESSING_TIMEOUT, what + " was not read, mapped and judged within " + budget.toMillis()
                + " ms (hub.limits.processing-timeout)");
    }

    /**
     * Step {@code still-within-budget} (first of {@code deliver-accept}): a worker goes on to Kafka only if its input
     * has not been given up; from here on the waiting thread waits for the outcome. A no-op for an input sent without a
     * budget (a replay, the phone channel's batches).
     */
    public static void stillWanted(Exchange exchange) {
        AtomicInteger state = exchange.getProperty(STATE, AtomicInteger.class);
        if (state != null && !state.compareAndSet(IN_WORK, ACCEPTING) && state.get() == GIVEN_UP) {
            LOG.info("An input given up past its time budget is not taken any further");
            // counted as what it is: refused (by the thread that gave it up)
            exchange.setProperty(DeadLetters.DEAD_LETTERED, Boolean.TRUE);
            exchange.setRouteStop(true);
        }
    }

    /** True for a worker's exchange whose input was given up: its late failure is not dead-lettered a second time. */
    public static boolean givenUp(Exchange exchange) {
        AtomicInteger state = exchange.getProperty(STATE, AtomicInteger.class);
        return state != null && state.get() == GIVEN_UP;
    }

    /** The bean's destroy method. */
    public void close() {
        workers.shutdownNow();
    }
}
