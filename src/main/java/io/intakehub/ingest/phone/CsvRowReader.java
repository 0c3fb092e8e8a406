package io.intakehub.ingest.phone;

import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * Streams the rows of a CSV export one at a time (RFC 4180: quoted fields with embedded delimiters,
 * quotes and newlines; CRLF or LF), keeping for each row the line it starts on and its raw text, so a
 * bad row can be reported as "line 1234: …" with the bytes the sender wrote. Memory is bounded by the
 * longest row ({@code maxRowChars}), never by the file. A UTF-8 BOM is skipped; {@code auto} reads a
 * file as UTF-8 when its start is valid UTF-8, else as GB18030 (the superset of the GBK exports
 * Chinese call-centre systems write).
 */
public final class CsvRowReader implements Closeable {

    /**
     * One row.
     *
     * @param number the row's position among rows (1 = the first, the header when there is one)
     * @param line the physical line the row starts on (1-based; larger than number when fields hold newlines)
     * @param truncated the file ended inside a quoted field: the row is incomplete
     * @param tooLong the row was longer than the limit; its fields are empty and raw is cut
     * @param lineBreak the row ended with a line break (false only for a file's last row)
     */
    public record Row(long number, long line, List<String> fields, String raw, boolean truncated, boolean tooLong,
            boolean lineBreak) {}

    private static final int SNIFF = 64 * 1024;

    private final Reader in;
    private final char[] buf = new char[64 * 1024];
    private int pos;
    private int len;
    private final char delimiter;
    private final char quote;
    private final int maxRowChars;
    /** Fields in one row at the most; a row with more is refused as too long. */
    static final int MAX_FIELDS = 1000;
    private long rows;
    private long line = 1;
    private Row next;
    private boolean done;
    private final Charset charset;

    /**
     * @param encoding a charset name, or {@code auto}
     */
    public CsvRowReader(InputStream bytes, String encoding, char delimiter, char quote, int maxRowChars) throws IOException {
        BufferedInputStream b = new BufferedInputStream(bytes, SNIFF);
        b.mark(SNIFF);
        byte[] head = b.readNBytes(SNIFF);
        b.reset();
        int bom = head.length >= 3 && (head[0] & 0xFF) == 0xEF && (head[1] & 0xFF) == 0xBB && (head[2] & 0xFF) == 0xBF ? 3 : 0;
        b.skipNBytes(bom);
        this.charset = "auto".equalsIgnoreCase(encoding)
                ? (bom > 0 || validUtf8(head, bom) ? StandardCharsets.UTF_8 : Charset.forName("GB18030"))
                : Charset.forName(encoding);
        CharsetDecoder decoder = charset.newDecoder().onMalformedInput(CodingErrorAction.REPLACE)
                .onUnmappableCharacter(CodingErrorAction.REPLACE);
        this.in = new InputStreamReader(b, decoder);
        this.delimiter = delimiter;
        this.quote = quote;
        this.maxRowChars = maxRowChars;
    }

    /** The charset the file is read with. */
    public Charset charset() {
        return charset;
    }

    public boolean hasNext() throws IOException {
        if (next == null && !done) {
            next = readRow();
            done = next == null;
        }
        return next != null;
    }

    public Row next() throws IOException {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        Row r = next;
        next = null;
        return r;
    }

    /** The next character, or -1 at the end (the reader's own buffer: no lock per character). */
    private int read() throws IOException {
        if (pos == len) {
            len = in.read(buf, 0, buf.length);
            pos = 0;
            if (len <= 0) {
                len = 0;
                return -1;
            }
        }
        return buf[pos++];
    }

    /** The next character without taking it, or -1 at the end. */
    private int peek() throws IOException {
        int c = read();
        if (c != -1) {
            pos--;
        }
        return c;
    }

    private Row readRow() throws IOException {
        List<String> fields = new ArrayList<>();
        StringBuilder cell = new StringBuilder();
        StringBuilder raw = new StringBuilder();
        long startLine = line;
        boolean quoted = false;
        boolean closed = false; // after a closing quote: blanks before the delimiter are padding
        boolean any = false;
        boolean tooLong = false;
        int c;
        while ((c = read()) != -1) {
            any = true;
            char ch = (char) c;
            if (raw.length() < maxRowChars) {
                raw.append(ch);
            } else {
                tooLong = true;
            }
            if (quoted) {
                if (ch == quote) {
                    if (peek() == quote) {
                        read();
                        append(cell, quote, tooLong);
                        if (raw.length() < maxRowChars) {
                            raw.append(quote);
                        } else {
                            tooLong = true;
                        }
                    } else {
                        quoted = false;
                        closed = true;
                    }
                } else {
                    if (ch == '\n') {
                        line++;
                    }
                    append(cell, ch, tooLong);
                }
            } else if (ch == quote && !closed && isBlank(cell)) {
                cell.setLength(0); // blanks before an opening quote are padding
                quoted = true;
            } else if (ch == delimiter) {
                // a row of delimiters alone is as long as its fields are many: the field count is bounded too
                if (fields.size() >= MAX_FIELDS) {
                    tooLong = true;
                } else if (!tooLong) {
                    fields.add(cell.toString());
                }
                cell.setLength(0);
                closed = false;
            } else if (ch == '\n' || ch == '\r') {
                if (ch == '\r' && peek() == '\n') {
                    read();
                }
                line++;
                fields.add(cell.toString());
                return row(startLine, fields, raw, false, tooLong, true);
            } else if (!(closed && (ch == ' ' || ch == '\t'))) {
                append(cell, ch, tooLong);
            }
        }
        if (!any) {
            return null;
        }
        fields.add(cell.toString());
        // the file ends without a line break: a complete last row, unless a quoted field is still open
        return row(startLine, fields, raw, quoted, tooLong, false);
    }

    private static boolean isBlank(StringBuilder cell) {
        for (int i = 0; i < cell.length(); i++) {
            if (!Character.isWhitespace(cell.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    private Row row(long startLine, List<String> fields, StringBuilder raw, boolean truncated, boolean tooLong, boolean lineBreak) {
        rows++;
        int end = raw.length();
        while (end > 0 && (raw.charAt(end - 1) == '\n' || raw.charAt(end - 1) == '\r')) {
            end--; // the row's own line break
        }
        raw.setLength(end);
        return new Row(rows, startLine, tooLong ? List.of() : List.copyOf(fields), raw.toString(), truncated, tooLong, lineBreak);
    }

    private void append(StringBuilder cell, char ch, boolean tooLong) {
        if (!tooLong && cell.length() < maxRowChars) {
            cell.append(ch);
        }
    }

    private static boolean validUtf8(byte[] head, int from) {
        int end = head.length;
        // a multi-byte character cut by the sniff window is not a decoding error
        while (end > from && end > head.length - 4 && (head[end - 1] & 0xC0) == 0x80) {
            end--;
        }
        if (end > from && (head[end - 1] & 0xC0) == 0xC0) {
            end--;
        }
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(java.nio.ByteBuffer.wrap(head, from, end - from));
            return true;
        } catch (java.nio.charset.CharacterCodingException e) {
            return false;
        }
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
