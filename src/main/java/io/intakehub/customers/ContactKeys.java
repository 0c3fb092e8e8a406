package io.intakehub.customers;

import java.text.Normalizer;
import java.util.Locale;

import com.google.re2j.Pattern;

/**
 * How contacts compare (customer matching): a phone number by its digits, without the Chinese country
 * code (+86, 0086) — so {@code +86 138-0013-8000}, {@code 0086 13800138000} and {@code 138 0013 8000}
 * are one number; an e-mail address in lower case; a name without case, blanks, punctuation or
 * full-width forms (so {@code 上海华东文具 有限公司} and {@code 上海华东文具有限公司} match).
 */
public final class ContactKeys {

    private static final Pattern EXTENSION = Pattern.compile("(?i)\\s*(转|ext\\.?|x)\\s*\\d+$");
    private static final Pattern NON_DIGITS = Pattern.compile("\\D");
    private static final Pattern NAME_NOISE = Pattern.compile("[\\p{Z}\\s\\p{P}\\p{S}]");

    private ContactKeys() {}

    /** The digits of a phone number without the country code 86; null when fewer than 5 digits remain. */
    public static String phone(String text) {
        if (text == null) {
            return null;
        }
        String s = Normalizer.normalize(text, Normalizer.Form.NFKC).strip();
        // an extension (转 / ext / x) is not part of the line
        s = EXTENSION.split(s)[0];
        boolean international = s.startsWith("+");
        String digits = NON_DIGITS.matcher(s).replaceAll("");
        if (digits.startsWith("0086")) {
            digits = digits.substring(4);
        } else if (international && digits.startsWith("86")) {
            digits = digits.substring(2);
        } else if (digits.length() == 13 && digits.startsWith("861")) {
            digits = digits.substring(2); // a mobile number written with 86 but no +
        }
        if (international && !digits.isEmpty() && !digits.startsWith("0") && !digits.startsWith("1")) {
            digits = "0" + digits; // +86 21 5555 0101 is the landline 021 5555 0101
        }
        return digits.length() < 5 ? null : digits;
    }

    /** The address in lower case, trimmed; null when it has no {@code @}. */
    public static String email(String text) {
        if (text == null || text.indexOf('@') < 1) {
            return null;
        }
        return text.strip().toLowerCase(Locale.ROOT);
    }

    /** The name folded for comparison; null when nothing is left. */
    public static String name(String text) {
        if (text == null) {
            return null;
        }
        String n = NAME_NOISE.matcher(Normalizer.normalize(text, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT)).replaceAll("");
        return n.isEmpty() ? null : n;
    }
}
