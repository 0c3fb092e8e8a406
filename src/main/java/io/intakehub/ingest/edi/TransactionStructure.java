package io.intakehub.ingest.edi;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.xlate.edi.schema.EDIComplexType;
import io.xlate.edi.schema.EDIReference;
import io.xlate.edi.schema.EDISimpleType;
import io.xlate.edi.schema.EDIType;
import io.xlate.edi.schema.Schema;

/**
 * A StAEDI transaction schema compiled once into the tables the hub validates a transaction against
 * while it reads it: segment positions, loops with their occurrence limits, and per segment the
 * element types, lengths, code lists and which elements are required.
 *
 * <p>Why not let StAEDI validate: its validator resets its usage tree node by node at every
 * transaction and every loop start, and a schema that lets unmapped segments carry any elements
 * expands each of them to 100 components per element — the 850 schema becomes hundreds of thousands
 * of nodes, and validation ran at ≈ 1/250 of StAEDI's own parse (BENCHMARKS.md, B2). Here a loop
 * start resets only that loop's direct children and an "any" element is one table entry, so
 * validating costs a few lookups per segment and element. The rules are StAEDI's, error for error:
 * the same codes, positions and references as its validator reports (segment search forward, then
 * up the enclosing loops, then "not in proper sequence" among the last loop's segments, then
 * "unexpected" or "not in defined transaction set"); {@code EdiValidationTest} pins them.
 */
final class TransactionStructure {

    /** What the structure finds while one transaction is read. */
    interface Listener {

        void loopStart(String code);

        void loopEnd();

        /**
         * @param tag the segment being read when the error was found
         * @param element 1-based element position, 0 for a segment error
         * @param component 1-based component position, 0 for none
         * @param reference the data element (E0092), or the segment or loop concerned
         */
        void error(String code, String tag, int element, int component, String reference, String found);
    }

    private static final String ANY_PREFIX = "io.xlate.edi.internal.schema.ANY_";

    /** A segment or loop at its place in its parent's sequence. */
    static final class Node {
        final int id;
        final Node parent;
        final int index;
        /** The number of loops around this node (the transaction's own children have 0). */
        final int depth;
        /** The segment tag; for a loop, its first segment's tag. */
        final String tag;
        /** The loop code, null for a segment. */
        final String loop;
        final int min;
        final int max;
        Node[] children = new Node[0];
        SegmentType segment;
        /** From this position, where each tag of the transaction is placed and which mandatory positions it passes, by tag index. */
        Step[] steps;

        Node(int id, Node parent, int index, int depth, String tag, String loop, int min, int max) {
            this.id = id;
            this.parent = parent;
            this.index = index;
            this.depth = depth;
            this.tag = tag;
            this.loop = loop;
            this.min = min;
            this.max = max;
        }

        Node next() {
            return parent != null && index + 1 < parent.children.length ? parent.children[index + 1] : null;
        }
    }

    record SegmentType(String tag, Element[] elements) {
    }

    /**
     * The search from one position for one tag, worked out once: the walk forward and up the loops
     * depends only on the structure, so only the usage counts of the mandatory positions passed are
     * left to look at while reading. {@code target} is null when the tag has no place ahead.
     */
    record Step(Node target, Node[] passed, Node lastOfLevel) {
    }

    /** An element or component position of a segment; {@link #ANY} accepts anything. */
    record Element(String id, EDISimpleType.Base base, int minLength, int maxLength, Set<String> codes,
            boolean required, int maxRepeat, Element[] components) {

        static final Element ANY = new Element("ANY", null, 0, Integer.MAX_VALUE, Set.of(), false, Integer.MAX_VALUE, null);

        boolean composite() {
            return components != null;
        }
    }

    private final Node root;
    private final int nodeCount;
    private final Set<String> tags = new HashSet<>();
    /** Open-addressing table from a tag's packed characters to its index in {@link Node#steps}. */
    private final int[] tagKeys;
    private final int[] tagIndexes;

    TransactionStructure(Schema schema) {
        Map<String, SegmentType> segments = new HashMap<>();
        List<Node> all = new ArrayList<>();
        EDIComplexType transaction = schema.getStandard();
        root = new Node(0, null, 0, -1, "", transaction.getCode(), 1, 1);
        all.add(root);
        root.children = compile(root, transaction, all, segments);
        nodeCount = all.size();
        List<String> tagList = List.copyOf(tags);
        int size = Integer.highestOneBit(Math.max(16, tagList.size() * 4)) * 2;
        tagKeys = new int[size];
        tagIndexes = new int[size];
        for (int i = 0; i < tagList.size(); i++) {
            int key = pack(tagList.get(i));
            if (key == 0) {
                throw new IllegalArgumentException("segment tag '" + tagList.get(i) + "' is not two or three characters");
            }
            int slot = slot(key);
            while (tagKeys[slot] != 0) {
                slot = (slot + 1) & (tagKeys.length - 1);
            }
            tagKeys[slot] = key;
            tagIndexes[slot] = i;
        }
        for (Node n : all) {
            if (n != root) {
                n.steps = new Step[tagList.size()];
                for (int i = 0; i < tagList.size(); i++) {
                    n.steps[i] = walk(n, tagList.get(i));
                }
            }
        }
    }

    /** A segment tag (two or three characters A–Z, 0–9) as one int; 0 for anything else. */
    private static int pack(String tag) {
        int n = tag.length();
        if (n < 2 || n > 3) {
            return 0;
        }
        int key = 0;
        for (int i = 0; i < n; i++) {
            char c = tag.charAt(i);
            if (c > 0x7f) {
                return 0;
            }
            key = key << 8 | c;
        }
        return key;
    }

    private int slot(int key) {
        return (key * 0x9E3779B9 >>> 16) & (tagKeys.length - 1);
    }

    /** The index of a tag of this transaction in {@link Node#steps}, -1 for a tag it does not define. */
    private int tagIndex(String tag) {
        int key = pack(tag);
        if (key == 0) {
            return -1;
        }
        for (int slot = slot(key); tagKeys[slot] != 0; slot = (slot + 1) & (tagKeys.length - 1)) {
            if (tagKeys[slot] == key) {
                return tagIndexes[slot];
            }
        }
        return -1;
    }

    /** The search of {@link Cursor#segment}: forward in the loop, then up through the enclosing loops. */
    private Step walk(Node from, String tag) {
        List<Node> passed = new ArrayList<>();
        Node lastOfLevel = null;
        Node n = from;
        while (true) {
            boolean loopAgain = n.loop == null && n.index == 0 && n.parent != root;
            if (n.tag.equals(tag) && (n != from || !loopAgain)) {
                return new Step(n, passed.toArray(new Node[0]), lastOfLevel);
            }
            if (n.min > 0) {
                passed.add(n);
            }
            Node next = n.next();
            if (next != null) {
                n = next;
            } else {
                if (lastOfLevel == null) {
                    lastOfLevel = n;
                }
                if (n.parent == root) {
                    return new Step(null, new Node[0], lastOfLevel);
                }
                n = n.parent;
            }
        }
    }

    private Node[] compile(Node parent, EDIComplexType type, List<Node> all, Map<String, SegmentType> segments) {
        List<EDIReference> refs = type.getReferences();
        Node[] children = new Node[refs.size()];
        int depth = parent.depth + 1;
        for (int i = 0; i < children.length; i++) {
            EDIReference ref = refs.get(i);
            EDIComplexType child = (EDIComplexType) ref.getReferencedType();
            Node n;
            if (child.isType(EDIType.Type.LOOP)) {
                String first = ((EDIComplexType) child.getReferences().get(0).getReferencedType()).getId();
                n = new Node(all.size(), parent, i, depth, first, child.getCode(), ref.getMinOccurs(), ref.getMaxOccurs());
                all.add(n);
                n.children = compile(n, child, all, segments);
            } else {
                n = new Node(all.size(), parent, i, depth, child.getId(), null, ref.getMinOccurs(), ref.getMaxOccurs());
                all.add(n);
                n.segment = segments.computeIfAbsent(child.getId(), tag -> new SegmentType(tag, elements(child)));
                tags.add(child.getId());
            }
            children[i] = n;
        }
        return children;
    }

    private static Element[] elements(EDIComplexType structure) {
        List<EDIReference> refs = structure.getReferences();
        Element[] out = new Element[refs.size()];
        for (int i = 0; i < out.length; i++) {
            EDIReference ref = refs.get(i);
            EDIType type = ref.getReferencedType();
            if (type.getId().startsWith(ANY_PREFIX)) {
                out[i] = Element.ANY;
            } else if (type instanceof EDISimpleType simple) {
                out[i] = new Element(simple.getId(), simple.getBase(), (int) simple.getMinLength(),
                        (int) Math.min(Integer.MAX_VALUE, simple.getMaxLength()), Set.copyOf(simple.getValueSet()),
                        ref.getMinOccurs() > 0, ref.getMaxOccurs(), null);
            } else {
                out[i] = new Element(type.getId(), null, 0, 0, Set.of(), ref.getMinOccurs() > 0, ref.getMaxOccurs(),
                        elements((EDIComplexType) type));
            }
        }
        return out;
    }

    /** The position and counts of one transaction being read; reused from one transaction to the next. */
    Cursor cursor(Listener listener) {
        return new Cursor(listener);
    }

    final class Cursor {
        private final Listener listener;
        private final int[] usage = new int[nodeCount];
        private final Deque<Node> open = new ArrayDeque<>();
        private final List<Node> missing = new ArrayList<>();
        /** The schema position of the last segment placed; null before the first. */
        private Node current;
        /** The type of the segment being read; null when it has no place (its elements are not checked). */
        private SegmentType segment;
        private String tag = "";
        private boolean[] present = new boolean[16];
        private long[] componentsPresent = new long[16];
        private char decimalMark = '.';

        private Cursor(Listener listener) {
            this.listener = listener;
        }

        void start(char decimalMark) {
            this.decimalMark = decimalMark;
            Arrays.fill(usage, 0);
            open.clear();
            missing.clear();
            current = null;
            segment = null;
        }

        /** Places a segment in the structure: closes and opens loops, reports what is missing or misplaced. */
        void segment(String tag) {
            this.tag = tag;
            segment = null;
            missing.clear();
            Node from = current != null ? current : root.children[0];
            int index = tagIndex(tag);
            Step step = index < 0 ? null : from.steps[index];
            if (step == null) {
                // a tag the transaction does not define
                listener.error("SEGMENT_NOT_IN_DEFINED_TRANSACTION_SET", tag, 0, 0, null, tag);
            } else {
                for (Node passed : step.passed()) {
                    if (usage[passed.id] < passed.min) {
                        missing.add(passed);
                    }
                }
                if (step.target() != null) {
                    place(step.target());
                } else {
                    missing.clear();
                    outOfPlace(tag, step.lastOfLevel());
                }
            }
            int elements = segment != null ? segment.elements.length + 1 : 0;
            if (present.length < elements) {
                present = new boolean[elements];
                componentsPresent = new long[elements];
            } else {
                Arrays.fill(present, false);
                Arrays.fill(componentsPresent, 0L);
            }
        }

        private void place(Node n) {
            if (n.loop == null) {
                closeTo(n.depth);
                reportMissing();
                if (++usage[n.id] > n.max) {
                    listener.error("SEGMENT_EXCEEDS_MAXIMUM_USE", tag, 0, 0, tag, tag);
                }
                current = n;
            } else {
                closeTo(n.depth);
                reportMissing();
                open.push(n);
                listener.loopStart(n.loop);
                usage[n.id]++;
                for (Node child : n.children) {
                    usage[child.id] = 0;
                }
                current = n.children[0];
                usage[current.id] = 1;
                if (usage[n.id] > n.max) {
                    listener.error("LOOP_OCCURS_OVER_MAXIMUM_TIMES", tag, 0, 0, n.loop, tag);
                }
            }
            segment = current.segment;
        }

        /** Not found ahead: a segment of the last loop's earlier positions is out of sequence, else it has no place. */
        private void outOfPlace(String tag, Node lastOfLevel) {
            if (lastOfLevel != current) {
                for (Node sibling : lastOfLevel.parent.children) {
                    if (sibling.loop == null && sibling.tag.equals(tag)) {
                        if (sibling.index == 0) {
                            break;
                        }
                        listener.error("SEGMENT_NOT_IN_PROPER_SEQUENCE", tag, 0, 0, tag, tag);
                        if (++usage[sibling.id] > sibling.max) {
                            listener.error("SEGMENT_EXCEEDS_MAXIMUM_USE", tag, 0, 0, tag, tag);
                        }
                        segment = sibling.segment;
                        return;
                    }
                }
            }
            listener.error(tags.contains(tag) ? "UNEXPECTED_SEGMENT" : "SEGMENT_NOT_IN_DEFINED_TRANSACTION_SET",
                    tag, 0, 0, null, tag);
        }

        /** At the trailer (SE/UNT): what is still required after the last segment is missing; every loop ends. */
        void end(String trailerTag) {
            this.tag = trailerTag;
            segment = null;
            missing.clear();
            Node n = current != null ? current : root.children[0];
            if (current != null) {
                n = advance(n);
            }
            while (n != null) {
                if (usage[n.id] < n.min) {
                    missing.add(n);
                }
                n = advance(n);
            }
            closeTo(0);
            reportMissing();
        }

        private Node advance(Node n) {
            Node next = n.next();
            while (next == null && n.parent != root) {
                n = n.parent;
                next = n.next();
            }
            return next;
        }

        private void closeTo(int depth) {
            while (open.size() > depth) {
                open.pop();
                listener.loopEnd();
            }
        }

        private void reportMissing() {
            for (Node m : missing) {
                listener.error("MANDATORY_SEGMENT_MISSING", tag, 0, 0, m.tag, m.tag);
            }
            missing.clear();
        }

        /** The type at an element position of the segment being read (null outside the segment's definition). */
        Element element(int position) {
            return segment != null && position >= 1 && position <= segment.elements.length
                    ? segment.elements[position - 1] : null;
        }

        /**
         * Checks one element or component value.
         *
         * @param component 0 for a simple element, else 1-based
         * @param repetition 0 for the first occurrence of the element
         */
        void value(int position, int component, int repetition, String value) {
            if (segment == null || position < 1) {
                return;
            }
            if (position > segment.elements.length) {
                listener.error("TOO_MANY_DATA_ELEMENTS", tag, position, component, null, value);
                return;
            }
            Element e = segment.elements[position - 1];
            if (e == Element.ANY) {
                return;
            }
            if (repetition >= e.maxRepeat() && component <= 1) {
                listener.error("TOO_MANY_REPETITIONS", tag, position, component, e.id(), value);
                return;
            }
            boolean received = value != null && !value.isEmpty();
            if (e.composite()) {
                int c = Math.max(1, component);
                if (c > e.components().length) {
                    listener.error("TOO_MANY_COMPONENTS", tag, position, c, e.id(), value);
                    return;
                }
                if (received) {
                    present[position] = true;
                    if (c <= 64) {
                        componentsPresent[position] |= 1L << (c - 1);
                    }
                    check(e.components()[c - 1], value, position, c);
                }
            } else if (component > 0) {
                present[position] |= received;
                listener.error("TOO_MANY_COMPONENTS", tag, position, component, e.id(), value);
            } else if (received) {
                present[position] = true;
                check(e, value, position, 0);
            }
        }

        /** At the end of a segment: required elements and components that did not come. */
        void endSegment() {
            if (segment == null) {
                return;
            }
            Element[] elements = segment.elements;
            for (int i = 0; i < elements.length; i++) {
                Element e = elements[i];
                int position = i + 1;
                if (!present[position]) {
                    if (e.required()) {
                        listener.error("REQUIRED_DATA_ELEMENT_MISSING", tag, position, 0, e.id(), "");
                    }
                } else if (e.composite()) {
                    Element[] parts = e.components();
                    for (int c = 0; c < parts.length && c < 64; c++) {
                        if (parts[c].required() && (componentsPresent[position] & (1L << c)) == 0) {
                            listener.error("REQUIRED_DATA_ELEMENT_MISSING", tag, position, c + 1, parts[c].id(), "");
                        }
                    }
                }
            }
            segment = null;
        }

        private void check(Element e, String v, int position, int component) {
            String problem = switch (e.base()) {
                case NUMERIC -> digits(v, false) < 0 ? "INVALID_CHARACTER_DATA" : length(e, digits(v, false));
                case DECIMAL -> digits(v, true) < 0 ? "INVALID_CHARACTER_DATA" : length(e, digits(v, true));
                case DATE -> length(e, v.length()) != null ? length(e, v.length()) : validDate(v) ? null : "INVALID_DATE";
                case TIME -> length(e, v.length()) != null ? length(e, v.length()) : validTime(v) ? null : "INVALID_TIME";
                case BINARY -> null;
                default -> text(e, v);
            };
            if (problem != null) {
                listener.error(problem, tag, position, component, e.id(), v);
            }
        }

        private String text(Element e, String v) {
            String length = length(e, v.length());
            if (length != null) {
                return length;
            }
            for (int i = 0; i < v.length(); i++) {
                if (Character.isISOControl(v.charAt(i))) {
                    return "INVALID_CHARACTER_DATA";
                }
            }
            return !e.codes().isEmpty() && !e.codes().contains(v) ? "INVALID_CODE_VALUE" : null;
        }

        private static String length(Element e, int length) {
            return length > e.maxLength() ? "DATA_ELEMENT_TOO_LONG"
                    : length < e.minLength() ? "DATA_ELEMENT_TOO_SHORT" : null;
        }

        /** The number of digits in a number (sign and decimal mark not counted), -1 when it is not one. */
        private int digits(String v, boolean decimal) {
            int digits = 0;
            boolean mark = false;
            for (int i = 0; i < v.length(); i++) {
                char c = v.charAt(i);
                if (c >= '0' && c <= '9') {
                    digits++;
                } else if (c == '-' && i == 0 && v.length() > 1) {
                    continue;
                } else if (decimal && !mark && (c == decimalMark || c == '.')) {
                    mark = true;
                } else {
                    return -1;
                }
            }
            return digits > 0 ? digits : -1;
        }

        private static boolean validDate(String v) {
            int n = v.length();
            if (n != 6 && n != 8 || !allDigits(v)) {
                return false;
            }
            int year = n == 8 ? number(v, 0, 4) : 2000 + number(v, 0, 2);
            int month = number(v, n - 4, n - 2);
            int day = number(v, n - 2, n);
            if (month < 1 || month > 12 || day < 1) {
                return false;
            }
            return day <= java.time.YearMonth.of(year, month).lengthOfMonth();
        }

        private static boolean validTime(String v) {
            if (v.length() < 4 || !allDigits(v)) {
                return false;
            }
            int seconds = v.length() >= 6 ? number(v, 4, 6) : 0;
            return number(v, 0, 2) < 24 && number(v, 2, 4) < 60 && seconds < 60;
        }

        private static int number(String digits, int from, int to) {
            int n = 0;
            for (int i = from; i < to; i++) {
                n = n * 10 + (digits.charAt(i) - '0');
            }
            return n;
        }

        private static boolean allDigits(String v) {
            for (int i = 0; i < v.length(); i++) {
                if (v.charAt(i) < '0' || v.charAt(i) > '9') {
                    return false;
                }
            }
            return true;
        }
    }
}
