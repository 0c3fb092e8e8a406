package io.intakehub.ingest.edi;

import java.io.Closeable;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An {@link EdiReader} run one step ahead on a thread of its own: while the route maps and delivers one
 * batch of transactions, the next is being lexed and checked. StAEDI's lexing is most of the cost of
 * reading a file (BENCHMARKS.md, B2), and on its own thread it overlaps the mapping instead of adding to it.
 *
 * <p>The reader itself stays single-threaded and unchanged; what crosses threads is a batch of finished
 * transactions through a bounded queue, so everything the reader wrote before handing a batch over
 * (envelope facts, errors, outcomes) is visible to the route when it takes it. The route decides each
 * outcome before asking for the next transaction, and the reader is never more than {@link #MAX_LEAD}
 * transactions ahead — far inside the {@value EdiEnvelope.Outcomes#IN_MEMORY} outcomes a group keeps as
 * objects — so an outcome is never spilled to disk before it is decided. {@link #envelopes()} is
 * available once the iteration has ended; {@link #close()} stops and joins the thread before it closes
 * the reader, wherever the iteration stopped.
 */
public final class EdiReadAhead implements Iterator<EdiTransaction>, Closeable {

    /** Transactions handed over at once: one thread wake-up for this many, not one for each. */
    static final int BATCH = 32;
    /** Full batches waiting for the route. */
    static final int QUEUED = 3;
    /** The most transactions read but not yet handed to the route: queued, being filled, and being taken. */
    static final int MAX_LEAD = BATCH * (QUEUED + 2);

    private static final Object END = new Object();
    private static final long STOP_WAIT_MS = 30_000;

    private final EdiReader reader;
    private final String name;
    private final BlockingQueue<Object> queue = new ArrayBlockingQueue<>(QUEUED);
    private final AtomicLong read = new AtomicLong();
    private Thread thread;
    private volatile boolean stopping;
    private Iterator<EdiTransaction> batch = Collections.emptyIterator();
    private boolean ended;
    private long taken;

    public EdiReadAhead(EdiReader reader, String name) {
        this.reader = reader;
        this.name = name;
    }

    @Override
    public boolean hasNext() {
        while (!batch.hasNext()) {
            if (ended) {
                return false;
            }
            if (thread == null) {
                start();
            }
            Object next = take();
            if (next == END) {
                ended = true;
                return false;
            }
            if (next instanceof Failure f) {
                ended = true;
                if (f.cause instanceof Error e) {
                    throw e;
                }
                throw new IllegalStateException("reading EDI file " + name + " failed: " + f.cause, f.cause);
            }
            @SuppressWarnings("unchecked")
            List<EdiTransaction> list = (List<EdiTransaction>) next;
            batch = list.iterator();
        }
        return true;
    }

    @Override
    public EdiTransaction next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        taken++;
        return batch.next();
    }

    /** Every interchange of the file with its outcomes; only once the iteration has ended (the reader is done with them). */
    public List<EdiEnvelope> envelopes() {
        if (!ended) {
            throw new IllegalStateException("the envelopes of " + name + " are read only after its last transaction");
        }
        return reader.envelopes();
    }

    /** Transactions the reader is ahead of the route (for tests of the bound). */
    long lead() {
        return read.get() - taken;
    }

    private Object take() {
        try {
            return queue.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the next transaction of " + name, e);
        }
    }

    private void start() {
        thread = new Thread(this::readAll, "edi-read-" + name);
        thread.setDaemon(true);
        thread.start();
    }

    private void readAll() {
        List<EdiTransaction> filling = new ArrayList<>(BATCH);
        try {
            while (!stopping && reader.hasNext()) {
                filling.add(reader.next());
                read.incrementAndGet();
                if (filling.size() == BATCH) {
                    queue.put(filling);
                    filling = new ArrayList<>(BATCH);
                }
            }
            if (!filling.isEmpty()) {
                queue.put(filling);
            }
            queue.put(END);
        } catch (InterruptedException e) {
            // close() stopped the reading: nobody is waiting for the rest
        } catch (RuntimeException | Error e) {
            if (!stopping) {
                try {
                    queue.put(new Failure(e));
                } catch (InterruptedException stopped) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    /** Stops the reading thread (wherever the route stopped taking transactions), waits for it, then closes the reader. */
    @Override
    public void close() throws IOException {
        Thread t = thread;
        if (t != null && t.isAlive()) {
            stopping = true;
            t.interrupt();
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(STOP_WAIT_MS);
            while (t.isAlive() && System.nanoTime() < deadline) {
                queue.clear(); // a reader blocked on a full queue gets its place and then sees it is stopping
                try {
                    t.join(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        queue.clear();
        reader.close(); // even when the thread hangs in a read: closing its input is what ends that read
        if (t != null && t.isAlive()) {
            throw new IOException("the reading thread of EDI file " + name + " did not stop within " + STOP_WAIT_MS + " ms");
        }
    }

    private record Failure(Throwable cause) { }
}
