package io.intakehub.ingest.email;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The header block of a message as raw bytes, unfolded, in order. Jakarta Mail reads header bytes
 * as ISO-8859-1, which loses the charset of raw 8-bit headers (common in Chinese mail); this keeps
 * the bytes so that {@link HeaderDecoder} can decide.
 */
public final class RawHeaders {

    /** One header: its name as written and its unfolded value bytes (leading blanks removed). */
    public record Header(String name, byte[] value) {}

    static final int MAX_HEADERS = 2000;

    private final List<Header> headers;
    private final int start;
    private final int bodyOffset;
    private final boolean junkBefore;
    private final List<int[]> skipped;

    private RawHeaders(List<Header> headers, int start, int bodyOffset, boolean junkBefore, List<int[]> skipped) {
        this.headers = headers;
        this.start = start;
        this.bodyOffset = bodyOffset;
        this.junkBefore = junkBefore;
        this.skipped = skipped;
    }

    /** Parses the header block; a line that is neither a header nor a continuation ends it. */
    public static RawHeaders parse(byte[] raw) {
        List<Header> out = new ArrayList<>();
        String name = null;
        ByteArrayOutputStream value = new ByteArrayOutputStream();
        int pos = 0;
        // an mbox "From " separator, or blank-looking lines of white space, before the first header
        boolean junk = false;
        while (pos < raw.length) {
            int eol = pos;
            while (eol < raw.length && raw[eol] != '\n') {
                eol++;
            }
            boolean mbox = isMboxFrom(raw, pos, eol);
            boolean blanks = eol > pos && (raw[pos] == ' ' || raw[pos] == '\t') && isBlank(raw, pos, eol);
            if (!mbox && !blanks) {
                break;
            }
            junk |= blanks;
            pos = Math.min(eol + 1, raw.length);
        }
        int start = pos;
        int bodyOffset = raw.length;
        List<int[]> skipped = new ArrayList<>();
        while (pos < raw.length) {
            int eol = pos;
            while (eol < raw.length && raw[eol] != '\n') {
                eol++;
            }
            int next = Math.min(eol + 1, raw.length);
            int end = eol > pos && raw[eol - 1] == '\r' ? eol - 1 : eol;
            if (end == pos) { // blank line: the body follows
                bodyOffset = next;
                break;
            }
            if (isMboxFrom(raw, pos, end)) {
                junk = true; // an mbox separator inside the header block (after a Received line the server added)
                skipped.add(new int[] {pos, next});
            } else if ((raw[pos] == ' ' || raw[pos] == '\t') && name != null) {
                value.write(' ');
                value.write(raw, pos, end - pos);
            } else {
                int colon = nameEnd(raw, pos, end);
                if (colon < 0 || out.size() >= MAX_HEADERS) {
                    bodyOffset = pos; // not a header: the header block ends without a blank line
                    break;
                }
                if (name != null) {
                    out.add(new Header(name, trim(value.toByteArray())));
                }
                name = new String(raw, pos, colon - pos, StandardCharsets.ISO_8859_1).trim();
                value.reset();
                value.write(raw, colon + 1, end - colon - 1);
            }
            pos = next;
        }
        if (name != null) {
            out.add(new Header(name, trim(value.toByteArray())));
        }
        return new RawHeaders(List.copyOf(out), start, bodyOffset, junk, List.copyOf(skipped));
    }

    private static boolean isMboxFrom(byte[] raw, int pos, int end) {
        return end - pos >= 5 && raw[pos] == 'F' && raw[pos + 1] == 'r' && raw[pos + 2] == 'o' && raw[pos + 3] == 'm'
                && raw[pos + 4] == ' ';
    }

    /** The message from its first header on, without the stray lines this parse skipped. */
    public byte[] cleaned(byte[] raw) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(raw.length);
        int pos = start;
        for (int[] range : skipped) {
            out.write(raw, pos, range[0] - pos);
            pos = range[1];
        }
        out.write(raw, pos, raw.length - pos);
        return out.toByteArray();
    }

    private static boolean isBlank(byte[] raw, int from, int to) {
        for (int i = from; i < to; i++) {
            if (raw[i] != ' ' && raw[i] != '\t' && raw[i] != '\r') {
                return false;
            }
        }
        return true;
    }

    /** Where the first header starts (after an mbox "From " line or stray blanks). */
    public int start() {
        return start;
    }

    /** Whether white-space lines came before the first header, or mbox lines among the headers (defects). */
    public boolean junkBefore() {
        return junkBefore;
    }

    /** The first header of that name (case-insensitive). */
    public Optional<byte[]> first(String headerName) {
        return headers.stream().filter(h -> h.name().equalsIgnoreCase(headerName)).map(Header::value).findFirst();
    }

    /** The first header of that name as ASCII text (for structured headers such as Message-ID). */
    public String ascii(String headerName) {
        return first(headerName).map(v -> HeaderDecoder.clean(new String(v, StandardCharsets.ISO_8859_1))).orElse(null);
    }

    public boolean has(String headerName) {
        return first(headerName).isPresent();
    }

    public List<Header> all() {
        return headers;
    }

    /** Where the body starts in the raw message. */
    public int bodyOffset() {
        return bodyOffset;
    }

    private static int nameEnd(byte[] raw, int from, int to) {
        for (int i = from; i < to; i++) {
            byte b = raw[i];
            if (b == ':') {
                return i > from ? i : -1;
            }
            if (b <= ' ' || b >= 127) {
                // header names are printable ASCII; "From " lines of mbox files are tolerated as a header-less start
                return -1;
            }
        }
        return -1;
    }

    private static byte[] trim(byte[] v) {
        int a = 0;
        int b = v.length;
        while (a < b && (v[a] == ' ' || v[a] == '\t')) {
            a++;
        }
        while (b > a && (v[b - 1] == ' ' || v[b - 1] == '\t' || v[b - 1] == '\r')) {
            b--;
        }
        byte[] out = new byte[b - a];
        System.arraycopy(v, a, out, 0, out.length);
        return out;
    }

}
