package io.intakehub.ingest.email;

import java.io.ByteArrayOutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

import com.google.re2j.Matcher;
import com.google.re2j.Pattern;

/**
 * Decodes a header value from its raw bytes: 8-bit bytes (no RFC 2047) are read as UTF-8, else as
 * the message's own charset, else GB18030; RFC 2047 encoded words are joined before decoding when
 * adjacent words share a charset, so a character split across two words (as some mailers do) comes
 * out whole. Control characters (CR, LF, NUL, …) never survive into the result.
 */
public final class HeaderDecoder {

    /** A decoded value and whether any of it was a guess. */
    public record Value(String text, boolean suspect) {}

    private static final Pattern SPACES = Pattern.compile(" {2,}");
    private static final Pattern WORD = Pattern.compile("=\\?([^?\\s]+)\\?([BbQq])\\?([^?\\s]*)\\?=");
    private static final Pattern BETWEEN_WORDS = Pattern.compile("[ \\t\\r\\n]*");

    private HeaderDecoder() {}

    /** One encoded word: where it stands, as written, and its charset, encoding and encoded text. */
    private record Word(int start, int end, String whole, String charset, String encoding, String text) {}

    /**
     * @param raw the unfolded header value's bytes
     * @param hint the charset the message declares elsewhere (its first text part), or null
     */
    public static Value decode(byte[] raw, String hint) {
        MailCharsets.Decoded base = MailCharsets.isAscii(raw)
                ? new MailCharsets.Decoded(new String(raw, StandardCharsets.US_ASCII), false, "US-ASCII")
                : MailCharsets.decode(raw, hint == null ? "utf-8" : hint);
        boolean suspect = base.suspect();
        String s = base.text();
        StringBuilder out = new StringBuilder(s.length());
        java.util.List<Word> words = new java.util.ArrayList<>();
        for (Matcher m = WORD.matcher(s); m.find(); ) {
            words.add(new Word(m.start(), m.end(), m.group(), m.group(1), m.group(2), m.group(3)));
        }
        int pos = 0;
        int i = 0;
        while (i < words.size()) {
            Word first = words.get(i);
            out.append(s, pos, first.start());
            // a run of encoded words separated only by white space is one piece of text (RFC 2047
            // section 6.2); bytes of one charset are decoded together
            ByteArrayOutputStream pending = new ByteArrayOutputStream();
            String charset = null;
            int end = first.start();
            while (i < words.size() && (words.get(i) == first
                    || BETWEEN_WORDS.matcher(s.substring(end, words.get(i).start())).matches())) {
                Word w = words.get(i);
                int star = w.charset().indexOf('*');
                String cs = star < 0 ? w.charset() : w.charset().substring(0, star); // RFC 2231 language suffix
                byte[] bytes = wordBytes(w.encoding(), w.text());
                if (bytes == null) {
                    suspect = true;
                    bytes = w.whole().getBytes(StandardCharsets.US_ASCII);
                }
                if (charset != null && !charset.equalsIgnoreCase(cs)) {
                    suspect |= flush(pending.toByteArray(), charset, out);
                    pending.reset();
                }
                charset = cs;
                pending.writeBytes(bytes);
                end = w.end();
                i++;
            }
            suspect |= flush(pending.toByteArray(), charset, out);
            pos = end;
        }
        out.append(s, pos, s.length());
        String text = clean(out.toString());
        return new Value(text, suspect || MailCharsets.looksDamaged(text));
    }

    /** One header value as text with no control characters and single spaces. */
    public static String clean(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            b.append(Character.isISOControl(c) || c == '\u2028' || c == '\u2029' ? ' ' : c);
        }
        return SPACES.matcher(b.toString()).replaceAll(" ").trim();
    }

    /** Appends the decoded bytes; true when that took a guess. */
    private static boolean flush(byte[] bytes, String charset, StringBuilder out) {
        Charset c = MailCharsets.forLabel(charset);
        String strict = c == null ? null : MailCharsets.strict(bytes, c);
        if (strict != null) {
            out.append(strict);
            return false;
        }
        out.append(MailCharsets.decode(bytes, charset).text());
        return true;
    }

    private static byte[] wordBytes(String encoding, String text) {
        try {
            if (encoding.equalsIgnoreCase("B")) {
                String padded = text + "===".substring(0, (4 - text.length() % 4) % 4);
                return Base64.getMimeDecoder().decode(padded);
            }
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                if (c == '_') {
                    b.write(' ');
                } else if (c == '=') {
                    if (i + 2 >= text.length()) {
                        return null;
                    }
                    b.write(Integer.parseInt(text.substring(i + 1, i + 3), 16));
                    i += 2;
                } else {
                    b.write(c);
                }
            }
            return b.toByteArray();
        } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
            return null;
        }
    }
}
