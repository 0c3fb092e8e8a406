package io.intakehub.ingest.email;

import java.util.Locale;

import com.google.re2j.Matcher;
import com.google.re2j.Pattern;
import jakarta.mail.MessagingException;
import jakarta.mail.Part;
import jakarta.mail.internet.ContentType;
import jakarta.mail.internet.ParameterList;

/**
 * What can still be read from Content-Type and Content-Disposition headers that Jakarta Mail
 * refuses to parse (unquoted 8-bit names, stray quotes, garbage parameters): the media type, the
 * boundary, the charset and the file name, by pattern.
 */
final class LenientMime {

    private static final Pattern EXTENDED_FILENAME = Pattern.compile("\\bfile?name\\*");
    private static final Pattern FOLD = Pattern.compile("\\r?\\n[ \\t]");
    private static final Pattern TYPE = Pattern.compile("^\\s*([A-Za-z0-9!#$&^_.+-]+)/([A-Za-z0-9!#$&^_.+-]+)");

    private LenientMime() {}

    static ContentType contentType(Part part) {
        String raw = header(part, "Content-Type");
        Matcher m = raw == null ? null : TYPE.matcher(raw);
        ParameterList params = new ParameterList();
        for (String p : new String[] {"boundary", "charset", "name"}) {
            String v = param(raw, p);
            if (v != null) {
                params.set(p, v);
            }
        }
        if (m != null && m.find()) {
            return new ContentType(m.group(1).toLowerCase(Locale.ROOT), m.group(2).toLowerCase(Locale.ROOT), params);
        }
        return new ContentType("text", "plain", params);
    }

    /** The first of the named parameters in Content-Disposition or Content-Type, raw. */
    static String parameter(Part part, String... names) {
        for (String h : new String[] {"Content-Disposition", "Content-Type"}) {
            String raw = header(part, h);
            for (String n : names) {
                String v = param(raw, n);
                if (v != null) {
                    return v;
                }
            }
        }
        return null;
    }

    /** Whether a name parameter is in RFC 2231 form (name*=…), which Jakarta Mail decodes itself. */
    static boolean hasExtendedParameter(Part part) {
        for (String h : new String[] {"Content-Disposition", "Content-Type"}) {
            String raw = header(part, h);
            if (raw != null && EXTENDED_FILENAME.matcher(raw.toLowerCase(Locale.ROOT)).find()) {
                return true;
            }
        }
        return false;
    }

    static boolean attachmentDisposition(Part part) {
        String raw = header(part, "Content-Disposition");
        return raw != null && raw.trim().toLowerCase(Locale.ROOT).startsWith("attachment");
    }

    private static String param(String header, String name) {
        if (header == null) {
            return null;
        }
        Matcher m = Pattern.compile("(?i)(?:^|;)\\s*" + name + "\\s*=\\s*(\"([^\"]*)\"|([^;\\s]+))").matcher(header);
        if (!m.find()) {
            return null;
        }
        return m.group(2) != null ? m.group(2) : m.group(3);
    }

    private static String header(Part part, String name) {
        try {
            String[] values = part.getHeader(name);
            return values == null || values.length == 0 ? null : FOLD.matcher(values[0]).replaceAll(" ");
        } catch (MessagingException e) {
            return null;
        }
    }
}
