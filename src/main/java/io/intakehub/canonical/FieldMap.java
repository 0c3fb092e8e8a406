package io.intakehub.canonical;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Arrays;
import java.util.ConcurrentModificationException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The fields of one {@link CompactObjectNode}: insertion-ordered like the {@code LinkedHashMap} Jackson uses, but
 * kept in three parallel arrays while the object is small (every object a mapping builds has fewer than
 * {@value #SMALL} fields). A put is an append after a scan of the field hashes, a read a scan of the same; no entry
 * object per field, no hash table to size and grow (a 64-slot index over the hashes was tried: no faster at these
 * sizes). A 64-bit mask of the hashes present lets most puts of a new name, and reads of an absent one, skip the
 * scan. Past {@value #SMALL} fields it moves into a {@code LinkedHashMap} for good, so an object with thousands of fields costs what it costs in Jackson — never a
 * quadratic scan. Not thread-safe (neither is an {@code ObjectNode} being built).
 */
final class FieldMap extends AbstractMap<String, JsonNode> {

    static final int SMALL = 24;

    private String[] names = new String[8];
    private int[] hashes = new int[8];
    private JsonNode[] values = new JsonNode[8];
    private int size;
    private int modifications;
    /** The {@link #bit} of every field's hash, or-ed together. */
    private long present;
    /** Set once the object outgrows the arrays; from then on every operation is the map's. */
    private LinkedHashMap<String, JsonNode> large;

    /** Whether the fields are still in the arrays ({@link #name}, {@link #value} and {@link #count} are valid). */
    boolean small() {
        return large == null;
    }

    int count() {
        return size;
    }

    String name(int i) {
        return names[i];
    }

    JsonNode value(int i) {
        return values[i];
    }

    private int indexOf(Object name, int hash) {
        if ((present & bit(hash)) == 0) {
            return -1; // no field has a hash with this bit: certainly absent, nothing to scan
        }
        for (int i = 0; i < size; i++) {
            if (hashes[i] == hash && (names[i] == name || names[i].equals(name))) {
                return i;
            }
        }
        return -1;
    }

    /** The field's number, or -1 (a null or non-text name is never a field). */
    private int find(Object name) {
        return name instanceof String ? indexOf(name, name.hashCode()) : -1;
    }

    /** One of 64 bits per hash (its top six): a put of a new name usually finds its bit clear and skips the scan. */
    private static long bit(int hash) {
        return 1L << (hash >>> 26);
    }

    @Override
    public JsonNode get(Object name) {
        if (large != null) {
            return large.get(name);
        }
        int i = find(name);
        return i < 0 ? null : values[i];
    }

    @Override
    public boolean containsKey(Object name) {
        if (large != null) {
            return large.containsKey(name);
        }
        return find(name) >= 0;
    }

    @Override
    public int size() {
        return large != null ? large.size() : size;
    }

    @Override
    public boolean isEmpty() {
        return size() == 0;
    }

    @Override
    public JsonNode put(String name, JsonNode value) {
        if (large != null) {
            return large.put(name, value);
        }
        Objects.requireNonNull(name, "a field name");
        int hash = name.hashCode();
        int i = indexOf(name, hash);
        if (i >= 0) {
            JsonNode old = values[i];
            values[i] = value;
            return old;
        }
        if (size == SMALL) {
            large = new LinkedHashMap<>(SMALL * 4);
            for (int j = 0; j < size; j++) {
                large.put(names[j], values[j]);
            }
            names = null;
            hashes = null;
            values = null;
            size = 0;
            return large.put(name, value);
        }
        if (size == names.length) {
            grow();
        }
        names[size] = name;
        hashes[size] = hash;
        values[size] = value;
        present |= bit(hash);
        size++;
        modifications++;
        return null;
    }

    @Override
    public JsonNode remove(Object name) {
        if (large != null) {
            return large.remove(name);
        }
        int i = find(name);
        if (i < 0) {
            return null;
        }
        JsonNode old = values[i];
        removeAt(i); // its bit stays set (another field may share it): at worst a scan that finds nothing
        return old;
    }

    private void grow() {
        int grown = Math.min(SMALL, size * 2);
        names = Arrays.copyOf(names, grown);
        hashes = Arrays.copyOf(hashes, grown);
        values = Arrays.copyOf(values, grown);
    }

    private void removeAt(int i) {
        int tail = size - i - 1;
        System.arraycopy(names, i + 1, names, i, tail);
        System.arraycopy(hashes, i + 1, hashes, i, tail);
        System.arraycopy(values, i + 1, values, i, tail);
        size--;
        names[size] = null;
        values[size] = null;
        modifications++;
    }

    @Override
    public void clear() {
        if (large != null) {
            large.clear();
            return;
        }
        Arrays.fill(names, 0, size, null);
        Arrays.fill(values, 0, size, null);
        size = 0;
        present = 0;
        modifications++;
    }

    @Override
    public Set<Map.Entry<String, JsonNode>> entrySet() {
        if (large != null) {
            return large.entrySet();
        }
        return new AbstractSet<>() {
            @Override
            public int size() {
                return FieldMap.this.size();
            }

            @Override
            public Iterator<Map.Entry<String, JsonNode>> iterator() {
                return large != null ? large.entrySet().iterator() : new Fields();
            }
        };
    }

    /** Iterates the arrays in insertion order; entries write through; fails fast on a change made past it. */
    private final class Fields implements Iterator<Map.Entry<String, JsonNode>> {
        private int next;
        private int last = -1;
        private int expected = modifications;

        @Override
        public boolean hasNext() {
            return next < size && large == null;
        }

        @Override
        public Map.Entry<String, JsonNode> next() {
            if (expected != modifications || large != null) {
                throw new ConcurrentModificationException();
            }
            if (next >= size) {
                throw new NoSuchElementException();
            }
            last = next++;
            return new Field(last);
        }

        @Override
        public void remove() {
            if (last < 0) {
                throw new IllegalStateException();
            }
            if (expected != modifications || large != null) {
                throw new ConcurrentModificationException();
            }
            removeAt(last);
            next = last;
            last = -1;
            expected = modifications;
        }
    }

    private final class Field implements Map.Entry<String, JsonNode> {
        private final int at;
        private final String name;

        Field(int at) {
            this.at = at;
            this.name = names[at];
        }

        @Override
        public String getKey() {
            return name;
        }

        @Override
        public JsonNode getValue() {
            return large == null && at < size && names[at] == name ? values[at] : get(name);
        }

        @Override
        public JsonNode setValue(JsonNode value) {
            return put(name, value);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Map.Entry<?, ?> e && name.equals(e.getKey()) && Objects.equals(getValue(), e.getValue());
        }

        @Override
        public int hashCode() {
            return name.hashCode() ^ Objects.hashCode(getValue());
        }

        @Override
        public String toString() {
            return name + "=" + getValue();
        }
    }
}
