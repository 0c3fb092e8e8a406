package io.intakehub.store;

import org.springframework.context.SmartLifecycle;

/**
 * A thread that writes to the store what the flow hands it, started and stopped with the application: it stops after
 * Camel (which stops at a higher phase), so what the last messages handed over is written. {@link #loop} runs while
 * {@link #running()} and is never interrupted (an interrupt inside a JDBC call can close an embedded store's file
 * channel); {@link #flush} writes what is left once it has ended.
 */
abstract class StoreWriter implements SmartLifecycle {

    private final String threadName;
    private volatile boolean running;
    private Thread writer;

    StoreWriter(String threadName) {
        this.threadName = threadName;
    }

    /** Writes until {@link #running()} turns false; waits at most a short poll interval for work. */
    abstract void loop();

    /** Writes everything handed over and not yet written. */
    public abstract void flush();

    final boolean running() {
        return running;
    }

    @Override
    public void start() {
        running = true;
        writer = new Thread(this::loop, threadName);
        writer.setDaemon(true);
        writer.start();
    }

    @Override
    public void stop() {
        running = false;
        if (writer != null) {
            try {
                writer.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        flush();
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return Integer.MIN_VALUE + 1000;
    }
}
