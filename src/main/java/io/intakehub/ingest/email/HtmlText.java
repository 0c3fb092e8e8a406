package io.intakehub.ingest.email;

import java.util.Set;

import org.jsoup.Jsoup;
import org.jsoup.nodes.Element;
import org.jsoup.nodes.Node;
import org.jsoup.nodes.TextNode;
import org.jsoup.select.NodeFilter;
import org.jsoup.select.NodeTraversor;

/**
 * The readable text of an HTML mail body: block elements become line breaks, table cells are
 * separated, scripts, styles and comments are dropped, character references are resolved. Enough
 * for {@code label: value} forms written in an HTML editor; not a renderer. The HTML is read by
 * jsoup's parser (linear in the input, iterative over the tree) rather than by patterns, so no
 * markup, however broken or nested, makes it slow.
 */
public final class HtmlText {

    private static final Set<String> DROPPED = Set.of("script", "style", "head", "title", "template", "noscript");
    private static final Set<String> BLOCKS = Set.of("p", "div", "tr", "li", "h1", "h2", "h3", "h4", "h5", "h6", "table",
            "blockquote", "hr", "ul", "ol", "dl", "dt", "dd", "pre", "section", "article", "header", "footer", "address");
    private static final Set<String> CELLS = Set.of("td", "th");

    private HtmlText() {}

    public static String toText(String html) {
        StringBuilder out = new StringBuilder(Math.min(html.length(), 1 << 20));
        NodeTraversor.filter(new NodeFilter() {
            @Override
            public FilterResult head(Node node, int depth) {
                if (node instanceof TextNode t) {
                    out.append(t.getWholeText());
                } else if (node instanceof Element e) {
                    String name = e.normalName();
                    if (DROPPED.contains(name)) {
                        return FilterResult.SKIP_ENTIRELY;
                    }
                    if (name.equals("br") || BLOCKS.contains(name)) {
                        out.append('\n');
                    }
                }
                return FilterResult.CONTINUE;
            }

            @Override
            public FilterResult tail(Node node, int depth) {
                if (node instanceof Element e) {
                    String name = e.normalName();
                    if (BLOCKS.contains(name)) {
                        out.append('\n');
                    } else if (CELLS.contains(name)) {
                        out.append(' ');
                    }
                }
                return FilterResult.CONTINUE;
            }
        }, Jsoup.parse(html));
        return tidy(out);
    }

    /**
     * White space as a reader sees it: runs of blanks are one space, lines carry no leading or trailing blanks, at
     * most one empty line stands between paragraphs, and control characters other than the line break are blanks.
     */
    static String tidy(CharSequence text) {
        StringBuilder b = new StringBuilder(text.length());
        int newlines = 0;
        boolean blank = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\r') {
                continue;
            }
            if (c == '\n') {
                newlines++;
                blank = false;
                continue;
            }
            if (c == ' ' || c == '\t' || c == '\u00A0' || c == '\u2002' || c == '\u2003' || c == '\f' || Character.isISOControl(c)) {
                blank = true;
                continue;
            }
            if (b.length() > 0) {
                if (newlines > 0) {
                    b.append(newlines > 1 ? "\n\n" : "\n");
                } else if (blank) {
                    b.append(' ');
                }
            }
            newlines = 0;
            blank = false;
            b.append(c);
        }
        return b.toString();
    }
}
