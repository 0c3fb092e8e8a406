package io.intakehub.ingest.email;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The readable text of an HTML mail body: block elements become line breaks, table cells are
 * separated, scripts, styles and comments are dropped, character references are resolved. Enough
 * for {@code label: value} forms written in an HTML editor; not a renderer.
 */
public final class HtmlText {

    private static final Pattern DROP = Pattern.compile(
            "(?is)<!--.*?-->|<(script|style|head|title)\\b[^>]*>.*?</\\1\\s*>");
    private static final Pattern BREAK = Pattern.compile(
            "(?i)<\\s*(br|/p|/div|/tr|/li|/h[1-6]|/table|/blockquote|p|div|tr|li|hr)\\b[^>]*>");
    private static final Pattern CELL = Pattern.compile("(?i)<\\s*/t[dh]\\s*>");
    private static final Pattern TAG = Pattern.compile("(?s)<[^>]*>");
    private static final Pattern ENTITY = Pattern.compile("&(#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[a-zA-Z]{2,8});");
    private static final Map<String, String> NAMED = Map.of(
            "nbsp", " ", "amp", "&", "lt", "<", "gt", ">", "quot", "\"", "apos", "'", "yen", "¥", "middot", "·",
            "ensp", " ", "emsp", " ");

    private HtmlText() {}

    public static String toText(String html) {
        String s = DROP.matcher(html).replaceAll(" ");
        s = BREAK.matcher(s).replaceAll("\n");
        s = CELL.matcher(s).replaceAll(" ");
        s = TAG.matcher(s).replaceAll("");
        Matcher m = ENTITY.matcher(s);
        StringBuilder b = new StringBuilder(s.length());
        while (m.find()) {
            String e = m.group(1);
            String r;
            if (e.startsWith("#x") || e.startsWith("#X")) {
                r = codePoint(Integer.parseInt(e.substring(2), 16));
            } else if (e.startsWith("#")) {
                r = codePoint(Integer.parseInt(e.substring(1)));
            } else {
                r = NAMED.getOrDefault(e.toLowerCase(java.util.Locale.ROOT), m.group());
            }
            m.appendReplacement(b, Matcher.quoteReplacement(r));
        }
        m.appendTail(b);
        // one blank line at most, no trailing blanks
        return b.toString().replace('\u00A0', ' ').replaceAll("[ \\t]+\\n", "\n").replaceAll("\\n[ \\t]+", "\n")
                .replaceAll("\\n{3,}", "\n\n").replaceAll("[ \\t]{2,}", " ").trim();
    }

    private static String codePoint(int cp) {
        return Character.isValidCodePoint(cp) && !Character.isISOControl(cp) ? new String(Character.toChars(cp)) : " ";
    }
}
