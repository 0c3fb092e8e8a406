package io.intakehub.shared;

import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationListener;
import org.springframework.context.event.ContextClosedEvent;

/**
 * The hub stops within {@code hub.limits.shutdown-within} of being asked to, whatever a step is doing. Camel's own
 * graceful stop ({@code camel.main.shutdown-timeout}) and Tomcat's ({@code spring.lifecycle.timeout-per-shutdown-phase})
 * come first and end almost every stop; this is what is left when a thread ignores them (a step that never returns, a
 * client library that does not answer interrupts): past the deadline the stuck threads are logged and the process
 * halts. Halting is safe for what the hub holds: an input is settled only once its Kafka write and its receipt are
 * durable, so an input cut off is read again at the next start and recognised (the fault suite's kill cases).
 *
 * <p>The deadline is armed by a JVM shutdown hook — a stop of the process (SIGTERM, {@code System.exit}) — and not by
 * the context's close: a context closed inside a JVM that goes on (a benchmark's hub, an embedding application) must
 * not end that JVM. Such a close removes the hook.
 */
public class ShutdownDeadline implements ApplicationListener<ContextClosedEvent> {

    private static final Logger LOG = LoggerFactory.getLogger(ShutdownDeadline.class);
    /** The status of a halted stop: not 0, so that a supervisor can tell it from a clean one. */
    static final int HALT_STATUS = 3;

    private final Duration within;
    final Thread hook;

    public ShutdownDeadline(Duration within) {
        this.within = within;
        this.hook = new Thread(this::arm, "shutdown-deadline-hook");
        if (armed()) {
            Runtime.getRuntime().addShutdownHook(hook);
        }
    }

    /** 0 (or less) turns the deadline off. */
    private boolean armed() {
        return !within.isZero() && !within.isNegative();
    }

    /** In the hook: a daemon thread halts the process past the deadline; the hook itself returns at once. */
    private void arm() {
        Thread deadline = new Thread(() -> {
            try {
                Thread.sleep(within.toMillis());
            } catch (InterruptedException stopped) {
                return;
            }
            LOG.error("The hub did not stop within {} (hub.limits.shutdown-within); halting. Threads still running: {}", within,
                    stuckThreads());
            Runtime.getRuntime().halt(HALT_STATUS);
        }, "shutdown-deadline");
        deadline.setDaemon(true);
        deadline.start();
    }

    @Override
    public void onApplicationEvent(ContextClosedEvent event) {
        if (!armed() || event.getApplicationContext().getParent() != null) {
            return;
        }
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException exiting) {
            // the JVM is stopping: the hook has run and the deadline stands
        }
    }

    /** Every live non-daemon thread but this one, with the frame it is in: what kept the hub from stopping. */
    static String stuckThreads() {
        return Thread.getAllStackTraces().entrySet().stream().filter(e -> !e.getKey().isDaemon() && e.getKey() != Thread.currentThread())
                .map(ShutdownDeadline::describe).collect(Collectors.joining("; "));
    }

    private static String describe(Map.Entry<Thread, StackTraceElement[]> e) {
        StackTraceElement[] frames = e.getValue();
        return e.getKey().getName() + (frames.length == 0 ? "" : " at " + frames[0]);
    }
}
