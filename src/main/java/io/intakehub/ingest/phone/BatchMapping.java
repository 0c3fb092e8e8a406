package io.intakehub.ingest.phone;

import java.util.List;
import java.util.concurrent.Callable;

/**
 * One batch's rows mapped on a mapping thread, watched row by row against the per-input time budget
 * ({@code hub.limits.processing-timeout}). The thread that waits for the batch may give up the row in work once it has
 * been in work for the budget: that row is refused in its place ({@link PhoneRows#givenUp}), this mapping stops after
 * it, and the rows after it are mapped by a mapping of their own. Which rows each mapping takes is decided under this
 * object's lock, so no row is mapped twice and none is left out.
 */
final class BatchMapping implements Callable<List<PhoneRows.Item>> {

    private final List<PhoneRows.Item> items;
    private final PhoneRows rows;
    private int next;
    private int current = -1;
    private long startedAt;
    private boolean givenUp;

    BatchMapping(List<PhoneRows.Item> items, int from, PhoneRows rows) {
        this.items = items;
        this.next = from;
        this.rows = rows;
    }

    @Override
    public List<PhoneRows.Item> call() {
        for (;;) {
            PhoneRows.Item item;
            synchronized (this) {
                if (givenUp || next >= items.size()) {
                    current = -1;
                    return items;
                }
                current = next++;
                startedAt = System.nanoTime();
                item = items.get(current);
            }
            rows.map(item);
        }
    }

    /**
     * Gives up the row in work when it has been in work for {@code budgetNanos} or more: its index (this mapping takes no
     * further row, the caller maps the rest from the index after it), or -1 when no row is over its budget.
     */
    synchronized int giveUpIfOver(long budgetNanos) {
        if (givenUp || current < 0 || System.nanoTime() - startedAt < budgetNanos) {
            return -1;
        }
        givenUp = true;
        return current;
    }
}
