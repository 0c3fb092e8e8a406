package io.intakehub.ingest.edi;

import java.io.OutputStream;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;

import io.xlate.edi.stream.EDIOutputFactory;
import io.xlate.edi.stream.EDIStreamConstants.Delimiters;
import io.xlate.edi.stream.EDIStreamException;
import io.xlate.edi.stream.EDIStreamWriter;

/**
 * Writes acknowledgements with StAEDI's writer: a 997 or 999 for X12 (AK1/AK2/AK3/AK4/AK5/AK9, with
 * a TA1 in front when the interchange itself is refused) and a CONTRL for EDIFACT (UCI/UCM/UCS/UCD).
 * The acknowledgement goes from the identity the partner addressed to the partner, in the
 * delimiters and version the partner used.
 */
public final class AckWriter {

    private static final com.google.re2j.Pattern NOT_DIGIT = com.google.re2j.Pattern.compile("\\D");
    private static final com.google.re2j.Pattern DELIMITER_LIKE = com.google.re2j.Pattern.compile("[*~:^>|\\r\\n]");

    /** "007" as "7", "000" as "0". */
    static String withoutLeadingZeros(String digits) {
        int i = 0;
        while (i < digits.length() - 1 && digits.charAt(i) == '0') {
            i++;
        }
        return digits.substring(i);
    }

    /** The control numbers of the acknowledgement itself. */
    public record Controls(long interchange, long group) {}

    private static final Map<String, String> AK3_CODES = Map.of(
            "UNRECOGNIZED_SEGMENT_ID", "1", "UNEXPECTED_SEGMENT", "2", "MANDATORY_SEGMENT_MISSING", "3",
            "LOOP_OCCURS_OVER_MAXIMUM_TIMES", "4", "SEGMENT_EXCEEDS_MAXIMUM_USE", "5",
            "SEGMENT_NOT_IN_DEFINED_TRANSACTION_SET", "6", "SEGMENT_NOT_IN_PROPER_SEQUENCE", "7");
    private static final Map<String, String> AK4_CODES = Map.ofEntries(
            Map.entry("REQUIRED_DATA_ELEMENT_MISSING", "1"), Map.entry("CONDITIONAL_REQUIRED_DATA_ELEMENT_MISSING", "2"),
            Map.entry("TOO_MANY_DATA_ELEMENTS", "3"), Map.entry("DATA_ELEMENT_TOO_SHORT", "4"),
            Map.entry("DATA_ELEMENT_TOO_LONG", "5"), Map.entry("INVALID_CHARACTER_DATA", "6"),
            Map.entry("INVALID_CODE_VALUE", "7"), Map.entry("INVALID_DATE", "8"), Map.entry("INVALID_TIME", "9"),
            Map.entry("EXCLUSION_CONDITION_VIOLATED", "10"), Map.entry("TOO_MANY_REPETITIONS", "12"),
            Map.entry("TOO_MANY_COMPONENTS", "13"));
    /** EDIFACT syntax error codes (data element 0085). */
    private static final Map<String, String> CONTRL_CODES = Map.ofEntries(
            Map.entry("INVALID_CODE_VALUE", "12"), Map.entry("INVALID_DATE", "12"), Map.entry("INVALID_TIME", "12"),
            Map.entry("REQUIRED_DATA_ELEMENT_MISSING", "13"), Map.entry("MANDATORY_SEGMENT_MISSING", "13"),
            Map.entry("UNEXPECTED_SEGMENT", "15"), Map.entry("SEGMENT_NOT_IN_PROPER_SEQUENCE", "15"),
            Map.entry("SEGMENT_NOT_IN_DEFINED_TRANSACTION_SET", "15"), Map.entry("TOO_MANY_DATA_ELEMENTS", "16"),
            Map.entry("TOO_MANY_COMPONENTS", "16"), Map.entry("INVALID_CHARACTER_DATA", "21"),
            Map.entry("CONTROL_REFERENCE_MISMATCH", "28"), Map.entry("CONTROL_COUNT_DOES_NOT_MATCH_ACTUAL_COUNT", "29"),
            Map.entry("SEGMENT_EXCEEDS_MAXIMUM_USE", "35"), Map.entry("LOOP_OCCURS_OVER_MAXIMUM_TIMES", "36"),
            Map.entry("DATA_ELEMENT_TOO_LONG", "39"), Map.entry("DATA_ELEMENT_TOO_SHORT", "40"),
            Map.entry("DUPLICATE_INTERCHANGE", "26"), Map.entry("UNKNOWN_PARTNER", "23"), Map.entry("WRONG_RECEIVER", "7"),
            Map.entry("UNSUPPORTED_TRANSACTION", "17"), Map.entry("UNSUPPORTED_VERSION", "2"), Map.entry("TRUNCATED", "18"));
    /** X12 TA1 interchange note codes (I18). */
    private static final Map<String, String> TA1_CODES = Map.of(
            "DUPLICATE_INTERCHANGE", "025", "UNKNOWN_PARTNER", "006", "WRONG_RECEIVER", "007", "TRUNCATED", "023",
            "CONTROL_REFERENCE_MISMATCH", "001", "CONTROL_COUNT_DOES_NOT_MATCH_ACTUAL_COUNT", "021",
            "UNSUPPORTED_VERSION", "017", "UNREADABLE", "024");

    private AckWriter() {}

    /** A 997 (or 999) for every group of an X12 interchange; a TA1 first when the interchange is refused. */
    public static void x12(EdiEnvelope in, String ackType, Controls c, ZoneOffset zone, OutputStream out) {
        OffsetDateTime now = OffsetDateTime.now(zone);
        try (EDIStreamWriter w = writer(out, in)) {
            boolean v5 = in.version.startsWith("005");
            w.startInterchange();
            w.writeStartSegment("ISA")
                    .writeElement("00").writeElement(pad("", 10)).writeElement("00").writeElement(pad("", 10))
                    .writeElement(pad(in.receiverQualifier, 2)).writeElement(pad(in.receiverId, 15))
                    .writeElement(pad(in.senderQualifier, 2)).writeElement(pad(in.senderId, 15))
                    .writeElement(now.format(DateTimeFormatter.ofPattern("yyMMdd")))
                    .writeElement(now.format(DateTimeFormatter.ofPattern("HHmm")))
                    .writeElement(v5 ? String.valueOf(in.repetitionSeparator == null ? '^' : in.repetitionSeparator) : "U")
                    .writeElement(in.version.isEmpty() ? "00401" : in.version)
                    .writeElement(String.format("%09d", c.interchange()))
                    .writeElement("0").writeElement("P").writeElement(String.valueOf(in.componentSeparator))
                    .writeEndSegment();
            int groups = 0;
            if (in.rejection != null || in.hasFatalErrors()) {
                String code = in.rejection != null ? in.rejection
                        : in.errors.stream().filter(EdiError::fatal).findFirst().map(EdiError::code).orElse("UNREADABLE");
                w.writeStartSegment("TA1").writeElement(blankToZeros(in.controlNumber, 9))
                        .writeElement(in.date.isEmpty() ? now.format(DateTimeFormatter.ofPattern("yyMMdd")) : in.date)
                        .writeElement(in.time.isEmpty() ? now.format(DateTimeFormatter.ofPattern("HHmm")) : in.time)
                        .writeElement("R").writeElement(TA1_CODES.getOrDefault(code, "024")).writeEndSegment();
            }
            long gc = c.group();
            for (EdiEnvelope.Group g : in.groups) {
                if (g.transactions.isEmpty() || g.transactions.stream().allMatch(t -> t.status == EdiEnvelope.Status.ACKNOWLEDGEMENT)) {
                    continue;
                }
                groups++;
                String version = g.version.isEmpty() ? (v5 ? "005010" : "004010") : (g.version.length() >= 6 && g.version.substring(0, 6).chars().allMatch(Character::isDigit) ? g.version.substring(0, 6) : g.version);
                w.writeStartSegment("GS").writeElement("FA").writeElement(trim(in.receiverId, 15))
                        .writeElement(trim(in.senderId, 15)).writeElement(now.format(DateTimeFormatter.ofPattern("yyyyMMdd")))
                        .writeElement(now.format(DateTimeFormatter.ofPattern("HHmm"))).writeElement(String.valueOf(gc))
                        .writeElement("X").writeElement(ackType.equals("999") ? version + "X231" : version).writeEndSegment();
                int segments = 0;
                w.writeStartSegment("ST").writeElement(ackType).writeElement("0001").writeEndSegment();
                segments++;
                w.writeStartSegment("AK1").writeElement(g.functionalId.isEmpty() ? "PO" : g.functionalId)
                        .writeElement(blankToZeros(g.controlNumber, 1)).writeEndSegment();
                segments++;
                int accepted = 0;
                for (EdiEnvelope.Outcome t : g.transactions) {
                    w.writeStartSegment("AK2").writeElement(t.type).writeElement(t.controlNumber).writeEndSegment();
                    segments++;
                    segments += writeX12Errors(w, t, ackType);
                    boolean ok = t.status == EdiEnvelope.Status.ACCEPTED;
                    accepted += ok ? 1 : 0;
                    w.writeStartSegment(ackType.equals("999") ? "IK5" : "AK5").writeElement(ok ? "A" : "R");
                    if (!ok) {
                        w.writeElement(ak5Code(t));
                    }
                    w.writeEndSegment();
                    segments++;
                }
                String ak9 = accepted == g.transactions.size() ? "A" : accepted == 0 ? "R" : "P";
                w.writeStartSegment("AK9").writeElement(ak9).writeElement(String.valueOf(g.transactions.size()))
                        .writeElement(String.valueOf(g.transactions.size())).writeElement(String.valueOf(accepted));
                if (g.errors.stream().anyMatch(e -> e.code().equals("CONTROL_COUNT_DOES_NOT_MATCH_ACTUAL_COUNT"))) {
                    w.writeElement("5");
                } else if (g.errors.stream().anyMatch(e -> e.code().equals("CONTROL_REFERENCE_MISMATCH"))) {
                    w.writeElement("4");
                }
                w.writeEndSegment();
                segments++;
                w.writeStartSegment("SE").writeElement(String.valueOf(segments + 1)).writeElement("0001").writeEndSegment();
                w.writeStartSegment("GE").writeElement("1").writeElement(String.valueOf(gc)).writeEndSegment();
                gc++;
            }
            w.writeStartSegment("IEA").writeElement(String.valueOf(groups)).writeElement(String.format("%09d", c.interchange()))
                    .writeEndSegment();
            w.endInterchange();
        } catch (EDIStreamException e) {
            throw new IllegalStateException("cannot write the " + ackType + ": " + e.getMessage(), e);
        }
    }

    private static int writeX12Errors(EDIStreamWriter w, EdiEnvelope.Outcome t, String ackType) throws EDIStreamException {
        int segments = 0;
        String segTag = ackType.equals("999") ? "IK3" : "AK3";
        String elTag = ackType.equals("999") ? "IK4" : "AK4";
        for (EdiError e : t.errors) {
            if (!e.fatal() || e.segmentTag() == null || e.segmentTag().isEmpty() || e.segmentPosition() <= 0
                    || e.segmentTag().equals("SE")) {
                continue;
            }
            boolean elementError = AK4_CODES.containsKey(e.code());
            w.writeStartSegment(segTag).writeElement(e.segmentTag()).writeElement(String.valueOf(e.segmentPosition()))
                    .writeEmptyElement().writeElement(elementError ? "8" : AK3_CODES.getOrDefault(e.code(), "8")).writeEndSegment();
            segments++;
            if (elementError && e.elementPosition() > 0) {
                w.writeStartSegment(elTag).writeStartElement().writeComponent(String.valueOf(e.elementPosition()));
                if (e.componentPosition() > 0) {
                    w.writeComponent(String.valueOf(e.componentPosition()));
                }
                w.endElement();
                String ref = e.dataElement() == null ? "" : NOT_DIGIT.matcher(e.dataElement()).replaceAll("");
                if (ref.isEmpty()) {
                    w.writeEmptyElement();
                } else {
                    w.writeElement(withoutLeadingZeros(ref));
                }
                w.writeElement(AK4_CODES.get(e.code()));
                if (e.found() != null && !e.found().isEmpty()) {
                    w.writeElement(cleanCopy(e.found()));
                }
                w.writeEndSegment();
                segments++;
            }
        }
        return segments;
    }

    private static String ak5Code(EdiEnvelope.Outcome t) {
        if ("UNSUPPORTED_TRANSACTION".equals(t.reasonCode)) {
            return "1";
        }
        for (EdiError e : t.errors) {
            if ("SE".equals(e.segmentTag()) && e.code().equals("CONTROL_COUNT_DOES_NOT_MATCH_ACTUAL_COUNT")) {
                return "4";
            }
            if ("SE".equals(e.segmentTag()) && e.code().equals("CONTROL_REFERENCE_MISMATCH")) {
                return "3";
            }
            if (e.code().equals("TRUNCATED")) {
                return "2";
            }
        }
        return "5";
    }

    /** A CONTRL for an EDIFACT interchange: UCI for the interchange, UCM (with UCS/UCD) per message. */
    public static void contrl(EdiEnvelope in, Controls c, ZoneOffset zone, OutputStream out) {
        OffsetDateTime now = OffsetDateTime.now(zone);
        String syntax = in.version.isEmpty() ? "UNOA:3" : in.version;
        boolean v4 = syntax.endsWith(":4");
        try (EDIStreamWriter w = writer(out, in)) {
            w.startInterchange();
            w.writeStartSegment("UNB");
            composite(w, syntax.split(":"));
            composite(w, party(in.receiverId, in.receiverQualifier));
            composite(w, party(in.senderId, in.senderQualifier));
            composite(w, now.format(DateTimeFormatter.ofPattern(v4 ? "yyyyMMdd" : "yyMMdd")), now.format(DateTimeFormatter.ofPattern("HHmm")));
            w.writeElement(String.valueOf(c.interchange())).writeEndSegment();
            int segments = 0;
            w.writeStartSegment("UNH").writeElement("1");
            composite(w, v4 ? new String[] {"CONTRL", "4", "1", "UN"} : new String[] {"CONTRL", "D", "3", "UN"});
            w.writeEndSegment();
            segments++;
            boolean refused = in.rejection != null || in.hasFatalErrors();
            String uciCode = refused ? CONTRL_CODES.getOrDefault(in.rejection != null ? in.rejection
                    : in.errors.stream().filter(EdiError::fatal).findFirst().map(EdiError::code).orElse("TRUNCATED"), "18") : null;
            w.writeStartSegment("UCI").writeElement(in.controlNumber.isEmpty() ? "0" : in.controlNumber);
            composite(w, party(in.senderId, in.senderQualifier));
            composite(w, party(in.receiverId, in.receiverQualifier));
            w.writeElement(refused ? "4" : "7");
            if (uciCode != null) {
                w.writeElement(uciCode);
            }
            w.writeEndSegment();
            segments++;
            for (EdiEnvelope.Group g : in.groups) {
                for (EdiEnvelope.Outcome t : g.transactions) {
                    boolean ok = t.status == EdiEnvelope.Status.ACCEPTED;
                    w.writeStartSegment("UCM").writeElement(t.controlNumber);
                    String[] v = t.typeVersion == null ? new String[0] : t.typeVersion.split("\\.");
                    composite(w, t.type, v.length > 0 ? v[0] : "D", v.length > 1 ? v[1] : "", v.length > 2 ? v[2] : "UN");
                    w.writeElement(ok ? "7" : "4");
                    if (!ok) {
                        w.writeElement(contrlCode(t));
                    }
                    w.writeEndSegment();
                    segments++;
                    if (!ok) {
                        segments += writeContrlErrors(w, t);
                    }
                }
            }
            w.writeStartSegment("UNT").writeElement(String.valueOf(segments + 1)).writeElement("1").writeEndSegment();
            w.writeStartSegment("UNZ").writeElement("1").writeElement(String.valueOf(c.interchange())).writeEndSegment();
            w.endInterchange();
        } catch (EDIStreamException e) {
            throw new IllegalStateException("cannot write the CONTRL: " + e.getMessage(), e);
        }
    }

    private static int writeContrlErrors(EDIStreamWriter w, EdiEnvelope.Outcome t) throws EDIStreamException {
        int segments = 0;
        for (EdiError e : t.errors) {
            if (!e.fatal() || e.segmentPosition() <= 0) {
                continue;
            }
            w.writeStartSegment("UCS").writeElement(String.valueOf(e.segmentPosition()))
                    .writeElement(e.elementPosition() > 0 ? "" : CONTRL_CODES.getOrDefault(e.code(), "18")).writeEndSegment();
            segments++;
            if (e.elementPosition() > 0) {
                w.writeStartSegment("UCD").writeElement(CONTRL_CODES.getOrDefault(e.code(), "18"));
                if (e.componentPosition() > 0) {
                    composite(w, String.valueOf(e.elementPosition()), String.valueOf(e.componentPosition()));
                } else {
                    w.writeElement(String.valueOf(e.elementPosition()));
                }
                w.writeEndSegment();
                segments++;
            }
        }
        return segments;
    }

    private static String contrlCode(EdiEnvelope.Outcome t) {
        if (t.reasonCode != null && CONTRL_CODES.containsKey(t.reasonCode)) {
            return CONTRL_CODES.get(t.reasonCode);
        }
        return t.errors.stream().filter(EdiError::fatal).findFirst()
                .map(e -> CONTRL_CODES.getOrDefault(e.code(), "18")).orElse("18");
    }

    private static EDIStreamWriter writer(OutputStream out, EdiEnvelope in) {
        EDIOutputFactory f = EDIOutputFactory.newFactory();
        f.setProperty(EDIOutputFactory.PRETTY_PRINT, true);
        f.setProperty(Delimiters.SEGMENT, in.segmentTerminator);
        f.setProperty(Delimiters.DATA_ELEMENT, in.elementSeparator);
        f.setProperty(Delimiters.COMPONENT_ELEMENT, in.componentSeparator);
        return f.createEDIStreamWriter(out);
    }

    private static void composite(EDIStreamWriter w, String... parts) throws EDIStreamException {
        w.writeStartElement();
        for (String p : parts) {
            if (p == null || p.isEmpty()) {
                w.writeEmptyComponent();
            } else {
                w.writeComponent(p);
            }
        }
        w.endElement();
    }

    private static String[] party(String id, String qualifier) {
        return qualifier == null || qualifier.isEmpty() ? new String[] {id} : new String[] {id, qualifier};
    }

    private static String pad(String s, int n) {
        String v = s == null ? "" : s;
        return v.length() >= n ? v.substring(0, n) : v + " ".repeat(n - v.length());
    }

    private static String trim(String s, int n) {
        return s == null || s.isEmpty() ? "UNKNOWN" : s.length() > n ? s.substring(0, n) : s;
    }

    private static String blankToZeros(String s, int n) {
        return s == null || s.isBlank() ? "0".repeat(n) : s;
    }

    /** AK404 copies the bad data; delimiter characters cannot travel in it. */
    private static String cleanCopy(String s) {
        String v = DELIMITER_LIKE.matcher(s).replaceAll(" ").strip();
        return v.length() > 99 ? v.substring(0, 99) : v.isEmpty() ? "?" : v;
    }
}
