package io.intakehub.canonical;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.NumericNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

/**
 * Writes a tree as compact UTF-8 JSON straight into a byte array, byte for byte as Jackson's generator writes it
 * with the canonical mapper's settings — for the kinds of node canonical messages are made of (objects, arrays,
 * text, int/long/BigDecimal numbers, booleans, null). Anything else (a double, a BigInteger, binary, a POJO, a
 * decimal Jackson would refuse, text with a surrogate) makes {@link #write} answer null, and the caller
 * hands the whole tree to Jackson. Field names are encoded once per JVM with their quotes and colon; plain ASCII
 * text is copied byte by byte, and anything to escape or beyond ASCII goes through Jackson's own string encoder
 * (text with a surrogate — an emoji — is left to Jackson too: its generator writes those its own way).
 */
final class CanonicalWriter {

    /**
     * Encoded names, open addressing with linear probes: a name, once in, stays (up to {@value #MAX_NAMES}, then
     * others are encoded as they are written). Entries are immutable and only ever put in empty slots, so a reader
     * sees a whole entry or none; two threads racing for one slot at worst cost a name a second entry further on.
     * (A direct-mapped table that evicted on collision was tried first: two names of one message sharing a slot
     * were encoded again for every message.)
     */
    private static final int NAME_SLOTS = 4096;
    private static final int MAX_NAMES = NAME_SLOTS / 2;
    private static final Name[] NAMES = new Name[NAME_SLOTS];
    private static final AtomicInteger NAME_COUNT = new AtomicInteger();
    /** Largest scale Jackson writes as a plain decimal (its {@code MAX_BIG_DECIMAL_SCALE}). */
    private static final int MAX_PLAIN_SCALE = 9999;
    private static final byte[] TRUE = "true".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] FALSE = "false".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] NULL = "null".getBytes(StandardCharsets.US_ASCII);
    private static final int KEEP = 65536;
    /** One writer per thread, its buffers reused from message to message (a grown one kept up to {@value #KEEP}). */
    private static final ThreadLocal<CanonicalWriter> WRITERS = ThreadLocal.withInitial(CanonicalWriter::new);

    private record Name(String key, int hash, byte[] encoded) {}

    /** Thrown inside a write that met a node it leaves to Jackson. */
    private static final class Unsupported extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Unsupported() {
            super(null, null, false, false);
        }
    }

    private static final Unsupported UNSUPPORTED = new Unsupported();

    private byte[] buf = new byte[8192];
    private char[] chars = new char[1024];
    private int pos;

    /** The tree's JSON, or null when it holds a node this writer leaves to Jackson. */
    static byte[] write(JsonNode tree) {
        CanonicalWriter w = WRITERS.get();
        w.pos = 0;
        try {
            w.value(tree);
            return Arrays.copyOf(w.buf, w.pos);
        } catch (Unsupported e) {
            return null;
        } finally {
            if (w.buf.length > KEEP) {
                w.buf = new byte[8192];
            }
            if (w.chars.length > KEEP) {
                w.chars = new char[1024];
            }
        }
    }

    /** By class, most frequent first (a switch on the node type is a megamorphic call per value). */
    private void value(JsonNode node) {
        if (node instanceof TextNode text) {
            string(text.textValue());
        } else if (node instanceof ObjectNode) {
            object(node);
        } else if (node instanceof ArrayNode array) {
            array(array);
        } else if (node instanceof NumericNode) {
            number(node);
        } else if (node instanceof BooleanNode b) {
            raw(b.booleanValue() ? TRUE : FALSE);
        } else if (node instanceof NullNode) {
            raw(NULL);
        } else {
            throw UNSUPPORTED; // binary, POJO, missing
        }
    }

    private void array(ArrayNode array) {
        ensure(1);
        buf[pos++] = '[';
        for (int i = 0, n = array.size(); i < n; i++) {
            if (i > 0) {
                ensure(1);
                buf[pos++] = ',';
            }
            value(array.get(i));
        }
        ensure(1);
        buf[pos++] = ']';
    }

    private void object(JsonNode node) {
        ensure(1);
        buf[pos++] = '{';
        if (node instanceof CompactObjectNode compact && compact.indexed()) {
            // what mappings build: the fields straight from their arrays, no iterator or entry objects
            for (int i = 0, n = compact.fieldCount(); i < n; i++) {
                field(i > 0, compact.fieldName(i), compact.fieldValue(i));
            }
        } else {
            boolean comma = false;
            for (Iterator<Map.Entry<String, JsonNode>> it = node.properties().iterator(); it.hasNext(); comma = true) {
                Map.Entry<String, JsonNode> f = it.next();
                field(comma, f.getKey(), f.getValue());
            }
        }
        ensure(1);
        buf[pos++] = '}';
    }

    private void field(boolean comma, String name, JsonNode value) {
        byte[] encoded = name(name);
        ensure(encoded.length + 1);
        if (comma) {
            buf[pos++] = ',';
        }
        System.arraycopy(encoded, 0, buf, pos, encoded.length);
        pos += encoded.length;
        value(value);
    }

    private void number(JsonNode node) {
        switch (node.numberType()) {
            case INT -> ascii(Integer.toString(node.intValue()));
            case LONG -> ascii(Long.toString(node.longValue()));
            case BIG_DECIMAL -> {
                // WRITE_BIGDECIMAL_AS_PLAIN, as the mapper writes them; a scale Jackson refuses is Jackson's to refuse
                BigDecimal d = node.decimalValue();
                if (d.scale() > MAX_PLAIN_SCALE || d.scale() < -MAX_PLAIN_SCALE) {
                    throw UNSUPPORTED;
                }
                ascii(d.toPlainString());
            }
            default -> throw UNSUPPORTED; // doubles, floats, BigIntegers: Jackson's formatting
        }
    }

    /**
     * Text in quotes: ASCII with nothing to escape byte by byte (from a char copy of the text, as Jackson's generator
     * does: the loop then runs over an array, not {@code charAt}), the rest through Jackson's encoder.
     */
    private void string(String s) {
        int n = s.length();
        if (n > chars.length) {
            chars = new char[Math.max(n, chars.length * 2)];
        }
        s.getChars(0, n, chars, 0);
        ensure(n + 2);
        byte[] b = buf;
        char[] cs = chars;
        int p = pos;
        b[p++] = '"';
        for (int i = 0; i < n; i++) {
            char c = cs[i];
            if (c < 0x20 || c > 0x7E || c == '"' || c == '\\') {
                escaped(s);
                return;
            }
            b[p++] = (byte) c;
        }
        b[p++] = '"';
        pos = p;
    }

    private void escaped(String s) {
        byte[] quoted = quoted(s);
        ensure(quoted.length + 2);
        buf[pos++] = '"';
        System.arraycopy(quoted, 0, buf, pos, quoted.length);
        pos += quoted.length;
        buf[pos++] = '"';
    }

    private void ascii(String s) {
        int n = s.length();
        ensure(n);
        for (int i = 0; i < n; i++) {
            buf[pos++] = (byte) s.charAt(i);
        }
    }

    private void raw(byte[] bytes) {
        ensure(bytes.length);
        System.arraycopy(bytes, 0, buf, pos, bytes.length);
        pos += bytes.length;
    }

    private void ensure(int more) {
        if (pos + more > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, pos + more));
        }
    }

    /** {@code "name":} as UTF-8, escaped as Jackson escapes names. */
    private static byte[] name(String key) {
        int hash = key.hashCode();
        int slot = (hash ^ (hash >>> 16)) & (NAME_SLOTS - 1);
        for (Name name = NAMES[slot]; name != null; name = NAMES[slot]) {
            if (name.key == key || (name.hash == hash && name.key.equals(key))) {
                return name.encoded;
            }
            slot = (slot + 1) & (NAME_SLOTS - 1);
        }
        byte[] quoted = quoted(key);
        byte[] encoded = new byte[quoted.length + 3];
        encoded[0] = '"';
        System.arraycopy(quoted, 0, encoded, 1, quoted.length);
        encoded[quoted.length + 1] = '"';
        encoded[quoted.length + 2] = ':';
        if (NAME_COUNT.get() < MAX_NAMES && NAME_COUNT.incrementAndGet() <= MAX_NAMES) {
            NAMES[slot] = new Name(key, hash, encoded); // an empty slot: the table stays at most half full
        }
        return encoded;
    }

    /**
     * Escaped UTF-8 without the quotes, as the generator writes it. Text with a surrogate is Jackson's: its generator
     * writes a pair as two six-character escapes (not as four UTF-8 bytes, as its string encoder does), and a lone
     * one escaped as well.
     */
    private static byte[] quoted(String s) {
        for (int i = 0, n = s.length(); i < n; i++) {
            if (Character.isSurrogate(s.charAt(i))) {
                throw UNSUPPORTED;
            }
        }
        return JsonStringEncoder.getInstance().quoteAsUTF8(s);
    }
}
