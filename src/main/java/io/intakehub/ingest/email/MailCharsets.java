package io.intakehub.ingest.email;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;

/**
 * Text decoding the way mail in the wild needs it: a declared charset is read as its superset
 * (GB2312 and GBK as GB18030, Big5 as Big5-HKSCS, ISO-8859-1 and US-ASCII as windows-1252, …),
 * decoding is strict, and what still fails is decoded with replacement characters but flagged as
 * suspect, so nothing is silently altered.
 */
public final class MailCharsets {

    /** Text, whether it is trustworthy, and the charset that read it. */
    public record Decoded(String text, boolean suspect, String charset) {}

    private static final Map<String, String> SUPERSETS = Map.ofEntries(
            Map.entry("gb2312", "GB18030"), Map.entry("gbk", "GB18030"), Map.entry("x-gbk", "GB18030"),
            Map.entry("cp936", "GB18030"), Map.entry("ms936", "GB18030"), Map.entry("euc-cn", "GB18030"),
            Map.entry("gb_2312-80", "GB18030"), Map.entry("csgb2312", "GB18030"), Map.entry("chinese", "GB18030"),
            Map.entry("gb18030", "GB18030"),
            Map.entry("big5", "Big5-HKSCS"), Map.entry("big-5", "Big5-HKSCS"), Map.entry("cn-big5", "Big5-HKSCS"),
            Map.entry("x-x-big5", "Big5-HKSCS"), Map.entry("cp950", "Big5-HKSCS"), Map.entry("big5-hkscs", "Big5-HKSCS"),
            Map.entry("us-ascii", "windows-1252"), Map.entry("ascii", "windows-1252"), Map.entry("iso-8859-1", "windows-1252"),
            Map.entry("latin1", "windows-1252"), Map.entry("iso8859-1", "windows-1252"), Map.entry("iso_8859-1", "windows-1252"),
            Map.entry("ks_c_5601-1987", "x-windows-949"), Map.entry("euc-kr", "x-windows-949"), Map.entry("ks_c_5601", "x-windows-949"),
            Map.entry("shift_jis", "windows-31j"), Map.entry("sjis", "windows-31j"), Map.entry("x-sjis", "windows-31j"),
            Map.entry("iso-8859-9", "windows-1254"), Map.entry("tis-620", "x-windows-874"),
            Map.entry("utf8", "UTF-8"), Map.entry("utf-8", "UTF-8"));

    /** The signature of UTF-8 bytes (EF BF BD pairs) read as GBK: text damaged before it reached us. */
    private static final String GBK_MOJIBAKE = "锟斤拷";

    private MailCharsets() {}

    /** The charset a label should be read with, or null when the label names none Java knows. */
    public static Charset forLabel(String label) {
        if (label == null) {
            return null;
        }
        String key = label.trim().replace("\"", "").replace("'", "").toLowerCase(Locale.ROOT);
        if (key.isEmpty()) {
            return null;
        }
        String name = SUPERSETS.getOrDefault(key, key);
        try {
            return Charset.isSupported(name) ? Charset.forName(name) : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /**
     * Decodes bytes declared (or not) as {@code label}: strictly with the label's superset; when the
     * label is missing or wrong, UTF-8 and then GB18030 are tried strictly (the mail this hub gets is
     * mostly one of the two); when everything fails, the declared (or windows-1252) charset with
     * replacement characters, flagged suspect.
     */
    public static Decoded decode(byte[] bytes, String label) {
        Charset declared = forLabel(label);
        if (isAscii(bytes) && !sevenBitEncoding(declared)) {
            return new Decoded(new String(bytes, StandardCharsets.US_ASCII), false, "US-ASCII");
        }
        for (Charset c : new Charset[] {declared, StandardCharsets.UTF_8, Charset.forName("GB18030")}) {
            if (c == null) {
                continue;
            }
            String text = strict(bytes, c);
            if (text != null) {
                // a declared single-byte charset always "succeeds"; prefer UTF-8 when the bytes are valid UTF-8
                if (c == declared && isSingleByte(c)) {
                    String utf8 = strict(bytes, StandardCharsets.UTF_8);
                    if (utf8 != null) {
                        return new Decoded(utf8, true, "UTF-8");
                    }
                }
                return new Decoded(text, c != declared && declared != null || looksDamaged(text), c.name());
            }
        }
        Charset fallback = declared != null ? declared : Charset.forName("windows-1252");
        return new Decoded(new String(bytes, fallback), true, fallback.name());
    }

    /** Text that was already damaged when it was written (replacement characters, GBK mojibake). */
    public static boolean looksDamaged(String text) {
        return text.indexOf('\uFFFD') >= 0 || text.contains(GBK_MOJIBAKE);
    }

    static String strict(byte[] bytes, Charset charset) {
        try {
            CharBuffer out = charset.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes));
            return out.toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    static boolean isAscii(byte[] bytes) {
        for (byte b : bytes) {
            if (b < 0) {
                return false;
            }
        }
        return true;
    }

    /** ISO-2022-JP/KR/CN, UTF-7, HZ: their text is all 7-bit bytes that are not ASCII text. */
    private static boolean sevenBitEncoding(Charset c) {
        if (c == null) {
            return false;
        }
        String n = c.name().toLowerCase(java.util.Locale.ROOT);
        return n.contains("2022") || n.contains("utf-7") || n.equals("hz-gb-2312");
    }

    /** A charset of one byte a character. Decode-only charsets (ISO-2022-CN and its kin have no encoder) are not. */
    static boolean isSingleByte(Charset c) {
        return c.canEncode() && c.newEncoder().maxBytesPerChar() <= 1.0f;
    }
}
