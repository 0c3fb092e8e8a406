package io.intakehub.ingest.email;

import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.google.re2j.Pattern;

/**
 * Decides what an email is. First match wins: the form's own type line ({@code 类型: 投诉}), the
 * address it was sent to, words in the subject (complaint words before registration words before
 * order words, so "complaint about order 4500" is a complaint), an attached order-line CSV.
 * Anything else goes to the complaint desk, marked unclassified.
 */
public final class EmailClassifier {

    /** A message type ({@code complaint}, {@code order}, {@code registration}) and what decided it. */
    public record Decision(String type, String by, boolean unclassified) {}

    private static final List<String> KEYWORD_ORDER = List.of("complaint", "registration", "order");

    private final Map<String, String> recipients;
    private final Map<String, List<String>> subjectKeywords;
    private final Map<String, String> formTypes;

    public EmailClassifier(EmailProperties.Classify config) {
        this.recipients = lower(config.recipients());
        this.subjectKeywords = config.subjectKeywords() == null ? Map.of() : config.subjectKeywords();
        this.formTypes = lower(config.formTypes());
    }

    public Decision classify(String formType, List<String> to, String subject, boolean hasOrderLines) {
        if (formType != null) {
            String t = formTypes.get(formType.strip().toLowerCase(Locale.ROOT));
            if (t != null) {
                return new Decision(t, "form type '" + formType.strip() + "'", false);
            }
        }
        for (String address : to) {
            String a = address.toLowerCase(Locale.ROOT);
            String t = recipients.getOrDefault(a, recipients.get(a.substring(0, a.indexOf('@') + 1)));
            if (t != null) {
                return new Decision(t, "recipient " + address, false);
            }
        }
        if (subject != null) {
            for (String type : KEYWORD_ORDER) {
                for (String word : subjectKeywords.getOrDefault(type, List.of())) {
                    if (mentions(subject, word)) {
                        return new Decision(type, "subject word '" + word + "'", false);
                    }
                }
            }
        }
        if (hasOrderLines) {
            return new Decision("order", "attached order lines", false);
        }
        return new Decision("complaint", "nothing matched: to the complaint desk", true);
    }

    /** ASCII words match as whole words (so "po" is not found in "report"); others as text. */
    static boolean mentions(String text, String word) {
        if (word.chars().allMatch(c -> c < 128)) {
            String t = text.toLowerCase(Locale.ROOT);
            String w = word.toLowerCase(Locale.ROOT);
            for (int at = t.indexOf(w); at >= 0; at = t.indexOf(w, at + 1)) {
                int end = at + w.length();
                if ((at == 0 || !asciiAlnum(t.charAt(at - 1))) && (end == t.length() || !asciiAlnum(t.charAt(end)))) {
                    return true;
                }
            }
            return false;
        }
        return text.contains(word);
    }

    private static boolean asciiAlnum(char c) {
        return c < 128 && Character.isLetterOrDigit(c);
    }

    private static Map<String, String> lower(Map<String, String> m) {
        if (m == null) {
            return Map.of();
        }
        Map<String, String> out = new java.util.HashMap<>();
        m.forEach((k, v) -> out.put(k.strip().toLowerCase(Locale.ROOT), v));
        return Map.copyOf(out);
    }
}
