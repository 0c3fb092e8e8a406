package io.intakehub.ingest.edi;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.intakehub.canonical.CompactObjectNode;
import io.xlate.edi.schema.EDISimpleType;
import io.xlate.edi.stream.EDIInputFactory;
import io.xlate.edi.stream.EDIStreamConstants;
import io.xlate.edi.stream.EDIStreamEvent;
import io.xlate.edi.stream.EDIStreamReader;
import io.xlate.edi.stream.EDIStreamValidationError;
import io.xlate.edi.stream.Location;

/**
 * Reads an EDI file of any number of X12 and EDIFACT interchanges with StAEDI, streaming, and hands
 * out one {@link EdiTransaction} at a time: memory holds one transaction, never the file. Each
 * interchange's delimiters come from its own ISA/UNA/UNB; a UTF-8 BOM, CR/LF between segments and
 * Ctrl-Z padding are tolerated. Envelope facts and every transaction's outcome are kept in
 * {@link #envelopes()} for the acknowledgements. A truncated or unreadable interchange ends the
 * iteration with the error recorded on its envelope (and on the transaction it cut short).
 *
 * <p>StAEDI reads and checks the envelopes (ISA…IEA, GS…GE, ST/SE, UNB…UNZ, UNH/UNT: control numbers,
 * counts); the transactions themselves are placed and checked against the hub's compiled
 * {@link TransactionStructure} (loops, segment positions, element types and codes), which is what
 * gives the neutral tree its loops.
 */
public final class EdiReader implements Iterator<EdiTransaction>, Closeable, TransactionStructure.Listener {

    private static final Set<String> FATAL_ON_CONTROL_SEGMENTS = Set.of(
            EDIStreamValidationError.CONTROL_COUNT_DOES_NOT_MATCH_ACTUAL_COUNT.name(),
            EDIStreamValidationError.CONTROL_REFERENCE_MISMATCH.name(),
            EDIStreamValidationError.MANDATORY_SEGMENT_MISSING.name());
    private static final Set<String> CONTROL_SEGMENTS =
            Set.of("ISA", "IEA", "GS", "GE", "ST", "SE", "UNA", "UNB", "UNZ", "UNG", "UNE", "UNH", "UNT");

    private final EdiSchemas schemas;
    private final InputStream input;
    private final EDIStreamReader reader;
    private final List<EdiEnvelope> envelopes = new ArrayList<>();
    private final JsonNodeFactory nodes = CompactObjectNode.FACTORY;
    private final Map<TransactionStructure, TransactionStructure.Cursor> cursors = new IdentityHashMap<>();
    private final Map<String, String[]> elementKeys = new HashMap<>();
    /** The structure position of the transaction being read; null for a type the hub does not take. */
    private TransactionStructure.Cursor cursor;

    private EdiTransaction pending;
    private boolean finished;
    private int transactionIndex;

    // the parse position
    private EdiEnvelope envelope;
    private EdiEnvelope.Group group;
    private boolean inTransaction;
    private String txType;
    private String txVersion;
    private String txControl = "";
    private ObjectNode tree;
    private final Deque<ObjectNode> scopes = new ArrayDeque<>();
    private List<EdiError> txErrors;
    private String segmentTag = "";
    /** The element keys of the current segment's tag ({@link #elementKey}). */
    private String[] segmentKeys;
    private ObjectNode segment;
    /** The current segment is an envelope segment (ISA, GS, ST, UNB, …): read into the envelope, not the tree. */
    private boolean controlSegment;
    private ArrayNode composite;
    private int segmentCount;
    /** StAEDI's position (counted from the interchange start) of the current ST/UNH. */
    private int txStartPosition;
    private char decimalMark = '.';

    public EdiReader(InputStream in, EdiSchemas schemas) {
        this.schemas = schemas;
        this.input = new CleanInput(in);
        EDIInputFactory factory = EDIInputFactory.newFactory();
        // code lists stay on: envelope code errors (a ZZ qualifier StAEDI does not list) become warnings
        // in error(), transaction code errors (BEG02) reject the transaction
        factory.setProperty(EDIInputFactory.EDI_IGNORE_EXTRANEOUS_CHARACTERS, true);
        this.reader = factory.createEDIStreamReader(input);
    }

    /** Every interchange read so far, with its groups and transaction outcomes. */
    public List<EdiEnvelope> envelopes() {
        return envelopes;
    }

    @Override
    public boolean hasNext() {
        if (pending == null && !finished) {
            pending = readNext();
        }
        return pending != null;
    }

    @Override
    public EdiTransaction next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        EdiTransaction t = pending;
        pending = null;
        return t;
    }

    private EdiTransaction readNext() {
        try {
            while (reader.hasNext()) {
                EdiTransaction done = handle(reader.next());
                if (done != null) {
                    return done;
                }
            }
        } catch (Exception e) {
            return broken(e);
        }
        finished = true;
        if (envelope != null && !envelope.closed) {
            envelope.errors.add(new EdiError("TRUNCATED", envelope.isX12() ? "IEA" : "UNZ", 0, 0, 0, null, null, true,
                    "the file ends before the interchange trailer"));
        }
        return null;
    }

    private EdiTransaction handle(EDIStreamEvent event) throws Exception {
        switch (event) {
            case START_INTERCHANGE -> startInterchange();
            case END_INTERCHANGE -> {
                envelope.closed = true;
                group = null;
            }
            case START_GROUP -> {
                group = new EdiEnvelope.Group();
                group.explicit = true;
                envelope.groups.add(group);
            }
            case END_GROUP -> {
                group.closed = true;
                group = null;
            }
            case START_TRANSACTION -> startTransaction();
            case END_TRANSACTION -> {
                return endTransaction();
            }
            case START_SEGMENT -> startSegment(reader.getText());
            case END_SEGMENT -> {
                if (inTransaction && (segmentTag.equals("ST") || segmentTag.equals("UNH"))) {
                    applySchema();
                } else if (inTransaction && cursor != null && !controlSegment) {
                    cursor.endSegment();
                }
                segment = null;
                composite = null;
            }
            case START_COMPOSITE -> {
                if (segment != null) {
                    composite = segment.putArray(elementKey(reader.getLocation()));
                }
            }
            case END_COMPOSITE -> composite = null;
            case ELEMENT_DATA -> element(reader.getText(), reader.getLocation());
            case SEGMENT_ERROR, ELEMENT_DATA_ERROR, ELEMENT_OCCURRENCE_ERROR -> error();
            default -> { }
        }
        return null;
    }

    private void startInterchange() {
        envelope = new EdiEnvelope();
        envelope.standard = reader.getStandard();
        envelope.version = String.join(":", reader.getVersion());
        var d = reader.getDelimiters();
        envelope.segmentTerminator = d.getOrDefault(EDIStreamConstants.Delimiters.SEGMENT, '~');
        envelope.elementSeparator = d.getOrDefault(EDIStreamConstants.Delimiters.DATA_ELEMENT, '*');
        envelope.componentSeparator = d.getOrDefault(EDIStreamConstants.Delimiters.COMPONENT_ELEMENT, ':');
        envelope.repetitionSeparator = d.get(EDIStreamConstants.Delimiters.REPETITION);
        decimalMark = d.getOrDefault(EDIStreamConstants.Delimiters.DECIMAL, '.');
        envelopes.add(envelope);
        group = null;
    }

    private void startTransaction() {
        // StAEDI reveals the type only at the first START_TRANSACTION of a group, so the type is read
        // from ST01 / UNH02 and the schema set when the header segment ends (see applySchema)
        txType = "";
        txVersion = group != null && !group.version.isEmpty() ? "X." + group.version : "";
        if (group == null) {
            // EDIFACT messages without UNG: one implicit group per interchange
            if (envelope.groups.isEmpty() || envelope.groups.get(envelope.groups.size() - 1).explicit) {
                EdiEnvelope.Group implicit = new EdiEnvelope.Group();
                envelope.groups.add(implicit);
            }
            group = envelope.groups.get(envelope.groups.size() - 1);
        }
        inTransaction = true;
        tree = nodes.objectNode();
        scopes.clear();
        scopes.push(tree);
        txErrors = new ArrayList<>();
        txControl = "";
        segmentCount = 0;
    }

    private void applySchema() {
        TransactionStructure structure = schemas.forTransaction(envelope.standard, txType);
        cursor = structure == null ? null : cursors.computeIfAbsent(structure, s -> s.cursor(this));
        if (cursor != null) {
            cursor.start(decimalMark);
        }
    }

    @Override
    public void loopStart(String code) {
        ObjectNode loop = nodes.objectNode();
        arrayOf(scopes.peek(), code).add(loop);
        scopes.push(loop);
    }

    @Override
    public void loopEnd() {
        if (scopes.size() > 1) {
            scopes.pop();
        }
    }

    @Override
    public void error(String code, String tag, int element, int component, String reference, String found) {
        txErrors.add(new EdiError(code, tag, segmentCount, element, component, reference, found, true, null));
    }

    private EdiTransaction endTransaction() {
        inTransaction = false;
        cursor = null;
        boolean supported = schemas.supports(envelope.standard, txType);
        boolean ack = EdiSchemas.ACKNOWLEDGEMENTS.contains(txType);
        EdiEnvelope.Outcome outcome = new EdiEnvelope.Outcome(txType, txControl, txVersion);
        outcome.errors.addAll(txErrors);
        group.transactions.add(outcome);
        EdiEnvelope.Group g = group;
        if (!envelope.groups.isEmpty() && !g.explicit) {
            g.closed = true;
        }
        return new EdiTransaction(transactionIndex++, txType, txVersion, txControl, envelope, g, outcome, tree,
                List.copyOf(txErrors), supported, ack, segmentCount);
    }

    private void startSegment(String tag) {
        segmentTag = tag;
        segmentKeys = elementKeys.computeIfAbsent(tag, t -> new String[100]);
        composite = null;
        if (inTransaction) {
            segmentCount++;
            if (tag.equals("ST") || tag.equals("UNH")) {
                txStartPosition = reader.getLocation().getSegmentPosition();
            }
            if (tag.equals("ST") || tag.equals("SE") || tag.equals("UNH") || tag.equals("UNT")) {
                controlSegment = true;
                segment = nodes.objectNode();
                if (cursor != null && (tag.equals("SE") || tag.equals("UNT"))) {
                    cursor.end(tag);
                }
                return;
            }
            controlSegment = false;
            if (cursor != null) {
                cursor.segment(tag);
            }
            segment = nodes.objectNode();
            arrayOf(scopes.peek(), tag).add(segment);
        } else {
            controlSegment = true;
            segment = nodes.objectNode();
        }
    }

    private void element(String text, Location at) {
        if (segment == null || text == null) {
            return;
        }
        int el = at.getElementPosition();
        int comp = at.getComponentPosition();
        if (controlSegment) {
            envelopeElement(el, comp, text);
            return;
        }
        TransactionStructure.Element type = null;
        if (cursor != null) {
            cursor.value(el, Math.max(0, comp), Math.max(0, at.getElementOccurrence() - 1), text);
            type = cursor.element(el);
        }
        if (composite != null) {
            String value = normalise(text, type != null && type.composite() && comp >= 1 && comp <= type.components().length
                    ? type.components()[comp - 1] : null);
            while (composite.size() < comp - 1) {
                composite.add("");
            }
            composite.add(value);
        } else if (type != null && type.composite()) {
            // a composite sent as its first component alone (or empty): an array, as when it has components
            ArrayNode parts = segment.putArray(elementKey(at));
            if (!text.isEmpty()) {
                parts.add(normalise(text, type.components()[0]));
            }
        } else if (!text.isEmpty()) {
            segment.put(elementKey(at), normalise(text, type));
        }
    }

    /** Decimal elements are written with '.' whatever the sender's decimal mark. */
    private String normalise(String text, TransactionStructure.Element type) {
        if (decimalMark == '.' || text.indexOf(decimalMark) < 0 || type == null) {
            return text;
        }
        return type.base() == EDISimpleType.Base.DECIMAL ? text.replace(decimalMark, '.') : text;
    }

    /** The repeating field of a scope ("N1", "N1_LOOP"), created on first use. */
    private static ArrayNode arrayOf(ObjectNode scope, String name) {
        JsonNode existing = scope.get(name);
        return existing instanceof ArrayNode array ? array : scope.putArray(name);
    }

    /** BEG01, BEG02 …: kept per tag, not built again for every element. */
    private String elementKey(Location at) {
        int el = at.getElementPosition();
        String[] keys = segmentKeys;
        if (el < 0 || el >= keys.length) {
            return segmentTag + (el < 10 ? "0" : "") + el;
        }
        String key = keys[el];
        if (key == null) {
            key = segmentTag + (el < 10 ? "0" : "") + el;
            keys[el] = key;
        }
        return key;
    }

    private void envelopeElement(int el, int comp, String v) {
        switch (segmentTag) {
            case "ISA" -> {
                switch (el) {
                    case 5 -> envelope.senderQualifier = v.trim();
                    case 6 -> envelope.senderId = v.trim();
                    case 7 -> envelope.receiverQualifier = v.trim();
                    case 8 -> envelope.receiverId = v.trim();
                    case 9 -> envelope.date = v;
                    case 10 -> envelope.time = v;
                    case 12 -> envelope.version = v;
                    case 13 -> envelope.controlNumber = v.trim();
                    case 14 -> envelope.ackRequested = "1".equals(v.trim());
                    default -> { }
                }
            }
            case "UNB" -> {
                switch (el) {
                    case 1 -> envelope.version = comp <= 1 ? v : envelope.version.substring(0, envelope.version.indexOf(':') < 0 ? envelope.version.length() : envelope.version.indexOf(':')) + ":" + v;
                    case 2 -> {
                        if (comp <= 1) {
                            envelope.senderId = v.trim();
                        } else if (comp == 2) {
                            envelope.senderQualifier = v.trim();
                        }
                    }
                    case 3 -> {
                        if (comp <= 1) {
                            envelope.receiverId = v.trim();
                        } else if (comp == 2) {
                            envelope.receiverQualifier = v.trim();
                        }
                    }
                    case 4 -> {
                        if (comp <= 1) {
                            envelope.date = v;
                        } else {
                            envelope.time = v;
                        }
                    }
                    case 5 -> envelope.controlNumber = v.trim();
                    case 9 -> envelope.ackRequested = "1".equals(v.trim());
                    default -> { }
                }
            }
            case "GS" -> {
                switch (el) {
                    case 1 -> group.functionalId = v;
                    case 2 -> group.senderId = v;
                    case 3 -> group.receiverId = v;
                    case 6 -> group.controlNumber = v;
                    case 8 -> group.version = v;
                    default -> { }
                }
            }
            case "UNG" -> {
                switch (el) {
                    case 1 -> group.functionalId = v;
                    case 5 -> group.controlNumber = v;
                    default -> { }
                }
            }
            case "ST" -> {
                if (el == 1) {
                    txType = v;
                } else if (el == 2) {
                    txControl = v;
                } else if (el == 3) {
                    txVersion = "X." + v;
                }
            }
            case "UNH" -> {
                if (el == 1) {
                    txControl = v;
                } else if (el == 2) {
                    // ORDERS:D:96A:UN:EAN008 -> type ORDERS, version D.96A.UN.EAN008
                    if (comp <= 1) {
                        txType = v;
                    } else {
                        txVersion = comp == 2 ? v : txVersion + "." + v;
                    }
                }
            }
            default -> { }
        }
    }

    private void error() {
        EDIStreamValidationError type = reader.getErrorType();
        Location at = reader.getLocation();
        String tag = at.getSegmentTag() != null ? at.getSegmentTag() : segmentTag;
        boolean control = CONTROL_SEGMENTS.contains(tag);
        // inside an envelope segment only broken counts and references are fatal; a sloppy date or
        // an odd qualifier in UNB is a warning (the partner profile decides who the sender is)
        boolean fatal = !control || FATAL_ON_CONTROL_SEGMENTS.contains(type.name());
        // acknowledgements count segments from ST/UNH = 1; StAEDI counts from the interchange start
        int position = inTransaction && at.getSegmentPosition() >= txStartPosition
                ? at.getSegmentPosition() - txStartPosition + 1 : at.getSegmentPosition();
        EdiError e = new EdiError(type.name(), tag, position, Math.max(0, at.getElementPosition()),
                Math.max(0, at.getComponentPosition()), reader.getReferenceCode(), reader.hasText() ? reader.getText() : null,
                fatal, null);
        if (inTransaction) {
            txErrors.add(e);
        } else if (group != null && (tag.equals("GS") || tag.equals("GE") || tag.equals("UNG") || tag.equals("UNE"))) {
            group.errors.add(e);
        } else if (envelope != null) {
            envelope.errors.add(e);
        }
    }

    private EdiTransaction broken(Exception e) {
        finished = true;
        boolean truncated = String.valueOf(e.getMessage()).contains("Unexpected end of stream");
        String code = truncated ? "TRUNCATED" : "UNREADABLE";
        String text = truncated ? "the file ends inside an interchange (no trailer)" : "the data cannot be read as X12 or EDIFACT: " + e.getMessage();
        EdiError err = new EdiError(code, segmentTag, 0, 0, 0, null, null, true, text);
        if (envelope == null) {
            envelope = new EdiEnvelope();
            envelope.standard = "UNKNOWN";
            envelopes.add(envelope);
        }
        envelope.errors.add(err);
        if (inTransaction) {
            txErrors.add(err);
            return endTransaction();
        }
        return null;
    }

    @Override
    public void close() throws IOException {
        try {
            reader.close();
            input.close();
        } finally {
            for (EdiEnvelope e : envelopes) {
                for (EdiEnvelope.Group g : e.groups) {
                    g.transactions.close();
                }
            }
        }
    }

    /**
     * Drops a leading UTF-8 byte-order mark and every Ctrl-Z (SUB) padding byte. Buffers by itself,
     * unsynchronised: StAEDI reads one byte at a time, and a {@code BufferedInputStream} takes a lock
     * for each.
     */
    static final class CleanInput extends InputStream {
        private final InputStream in;
        private final byte[] buffer = new byte[64 * 1024];
        private int pos;
        private int limit;
        private boolean start = true;

        CleanInput(InputStream in) {
            this.in = in;
        }

        @Override
        public int read() throws IOException {
            while (true) {
                if (pos == limit && !fill()) {
                    return -1;
                }
                int c = buffer[pos++] & 0xff;
                if (c != 0x1A) {
                    return c;
                }
            }
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            int n = 0;
            while (n < len) {
                if (pos == limit && (n > 0 || !fill())) {
                    break;
                }
                byte c = buffer[pos++];
                if (c != 0x1A) {
                    b[off + n++] = c;
                }
            }
            return n == 0 ? -1 : n;
        }

        private boolean fill() throws IOException {
            int n = in.read(buffer, 0, buffer.length);
            while (n == 0) {
                n = in.read(buffer, 0, buffer.length);
            }
            pos = 0;
            limit = Math.max(n, 0);
            if (start && limit > 0) {
                start = false;
                while (limit < 3) { // a BOM split over reads: gather three bytes first
                    int more = in.read(buffer, limit, buffer.length - limit);
                    if (more < 0) {
                        break;
                    }
                    limit += more;
                }
                if (limit >= 3 && (buffer[0] & 0xff) == 0xEF && (buffer[1] & 0xff) == 0xBB && (buffer[2] & 0xff) == 0xBF) {
                    pos = 3;
                }
            }
            return pos < limit || limit > 0 && fill();
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
