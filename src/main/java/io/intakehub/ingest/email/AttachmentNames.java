package io.intakehub.ingest.email;

import java.util.Locale;

/**
 * Attachment names made safe to store and show: no path (only the last segment of whatever the
 * sender wrote), no {@code ..}, no control or reserved characters, at most 120 characters; an empty
 * result gets a generated name.
 */
public final class AttachmentNames {

    private static final int MAX = 120;

    private AttachmentNames() {}

    /**
     * @param given the decoded name from the message, or null
     * @param position the attachment's number in the message (for a generated name)
     * @param fallback a name to use when none was given, or null for {@code attachment-N}
     */
    public static String safe(String given, int position, String fallback) {
        String name = given == null ? "" : given;
        int slash = Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\'));
        name = name.substring(slash + 1);
        StringBuilder b = new StringBuilder(name.length());
        name.codePoints().forEach(cp -> {
            boolean bad = Character.isISOControl(cp) || cp == ':' || cp == '*' || cp == '?' || cp == '"'
                    || cp == '<' || cp == '>' || cp == '|' || cp == 0x2028 || cp == 0x2029 || cp == 0xFFFD
                    || Character.getType(cp) == Character.FORMAT; // bidi overrides that disguise extensions
            b.appendCodePoint(bad ? '_' : cp);
        });
        name = b.toString().replace("..", "_").trim();
        while (name.startsWith(".")) {
            name = name.substring(1);
        }
        if (name.codePointCount(0, name.length()) > MAX) {
            int ext = name.lastIndexOf('.');
            String suffix = ext > 0 && name.length() - ext <= 10 ? name.substring(ext) : "";
            name = name.substring(0, name.offsetByCodePoints(0, MAX - suffix.length())) + suffix;
        }
        if (name.codePoints().noneMatch(Character::isLetterOrDigit)) {
            return fallback != null ? fallback : "attachment-" + position;
        }
        return name;
    }

    /** The lower-case extension, without the dot, or "". */
    public static String extension(String name) {
        int dot = name.lastIndexOf('.');
        return dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
    }
}
