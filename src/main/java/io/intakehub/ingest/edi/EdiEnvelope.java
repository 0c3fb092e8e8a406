package io.intakehub.ingest.edi;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * What the hub learns from one interchange's envelope (ISA/IEA or UNB/UNZ) and its groups, and what
 * became of each transaction in it: everything an acknowledgement needs.
 */
public final class EdiEnvelope {

    /** A functional group (GS/GE, UNG/UNE); EDIFACT messages outside a group share an implicit one. */
    public static final class Group {
        public String functionalId = "";
        public String controlNumber = "";
        public String version = "";
        public String senderId = "";
        public String receiverId = "";
        public boolean explicit;
        public final List<EdiError> errors = new ArrayList<>();
        public final Outcomes transactions = new Outcomes();
        public boolean closed;
    }

    /**
     * The outcomes of a group's transactions, in order, in bounded memory: an interchange may hold
     * millions of transactions, and each needs its line in the acknowledgement. The newest
     * {@value #IN_MEMORY} stay objects (the route is still deciding them); older ones are decided and
     * go to a temporary file, read back in order when the acknowledgement is written. Closed (the file
     * deleted) with the reader.
     */
    public static final class Outcomes implements Iterable<Outcome>, Closeable {
        static final int IN_MEMORY = 1024;
        /** No text of an outcome is longer (an EDI element, a message of ours: far shorter); kept to this, and a longer length read back means damage. */
        private static final int MAX_TEXT = 1 << 24;
        private final ArrayDeque<Outcome> recent = new ArrayDeque<>();
        private Path file;
        private DataOutputStream out;
        private int spilled;

        public void add(Outcome o) {
            recent.addLast(o);
            if (recent.size() > IN_MEMORY) {
                spill(recent.removeFirst());
            }
        }

        public int size() {
            return spilled + recent.size();
        }

        public boolean isEmpty() {
            return size() == 0;
        }

        public Stream<Outcome> stream() {
            return StreamSupport.stream(spliterator(), false);
        }

        @Override
        public Iterator<Outcome> iterator() {
            Iterator<Outcome> older = spilled == 0 ? List.<Outcome>of().iterator() : readBack();
            Iterator<Outcome> newer = recent.iterator();
            return new Iterator<>() {
                @Override
                public boolean hasNext() {
                    return older.hasNext() || newer.hasNext();
                }

                @Override
                public Outcome next() {
                    return older.hasNext() ? older.next() : newer.next();
                }
            };
        }

        private void spill(Outcome o) {
            try {
                if (out == null) {
                    file = Files.createTempFile("intake-edi-outcomes-", ".bin");
                    file.toFile().deleteOnExit();
                    out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file), 64 * 1024));
                }
                write(out, o);
                spilled++;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot keep the outcome of transaction " + o.controlNumber, e);
            }
        }

        private Iterator<Outcome> readBack() {
            if (out == null) {
                throw new IllegalStateException("the outcomes of this group were released with their reader");
            }
            try {
                out.flush();
                DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 64 * 1024));
                int count = spilled;
                return new Iterator<>() {
                    private int read;

                    @Override
                    public boolean hasNext() {
                        if (read < count) {
                            return true;
                        }
                        close(in);
                        return false;
                    }

                    @Override
                    public Outcome next() {
                        if (read >= count) {
                            throw new NoSuchElementException();
                        }
                        read++;
                        try {
                            return Outcomes.read(in);
                        } catch (IOException e) {
                            close(in);
                            throw new UncheckedIOException("cannot read back a transaction outcome", e);
                        }
                    }
                };
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read back the transaction outcomes", e);
            }
        }

        private static void close(DataInputStream in) {
            try {
                in.close();
            } catch (IOException ignored) {
                // read to the end already
            }
        }

        @Override
        public void close() throws IOException {
            if (out != null) {
                out.close();
                Files.deleteIfExists(file);
                out = null;
            }
        }

        private static void write(DataOutputStream out, Outcome o) throws IOException {
            text(out, o.type);
            text(out, o.controlNumber);
            text(out, o.typeVersion);
            out.writeByte(o.status.ordinal());
            text(out, o.messageId);
            text(out, o.reasonCode);
            out.writeInt(o.errors.size());
            for (EdiError e : o.errors) {
                text(out, e.code());
                text(out, e.segmentTag());
                out.writeInt(e.segmentPosition());
                out.writeInt(e.elementPosition());
                out.writeInt(e.componentPosition());
                text(out, e.dataElement());
                text(out, e.found());
                out.writeBoolean(e.fatal());
                text(out, e.message());
            }
        }

        private static Outcome read(DataInputStream in) throws IOException {
            Outcome o = new Outcome(text(in), text(in), text(in));
            int status = in.readByte();
            if (status < 0 || status >= Status.values().length) {
                throw new EOFException("damaged outcome record");
            }
            o.status = Status.values()[status];
            o.messageId = text(in);
            o.reasonCode = text(in);
            for (int i = in.readInt(); i > 0; i--) {
                o.errors.add(new EdiError(text(in), text(in), in.readInt(), in.readInt(), in.readInt(), text(in), text(in),
                        in.readBoolean(), text(in)));
            }
            return o;
        }

        /** A text as its UTF-8 length and bytes (-1 for null): a plain copy for the ASCII texts EDI is made of. */
        private static void text(DataOutputStream out, String s) throws IOException {
            if (s == null) {
                out.writeInt(-1);
                return;
            }
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            int n = Math.min(b.length, MAX_TEXT);
            out.writeInt(n);
            out.write(b, 0, n);
        }

        private static String text(DataInputStream in) throws IOException {
            int n = in.readInt();
            if (n < -1 || n > MAX_TEXT) {
                throw new EOFException("damaged outcome record");
            }
            if (n < 0) {
                return null;
            }
            byte[] b = in.readNBytes(n);
            if (b.length < n) {
                throw new EOFException("damaged outcome record");
            }
            return new String(b, StandardCharsets.UTF_8);
        }
    }

    /** What happened to one transaction (filled in by the ingest route as it goes; still PENDING at the end = rejected). */
    public static final class Outcome {
        public final String type;
        public final String controlNumber;
        public final String typeVersion;
        public final List<EdiError> errors = new ArrayList<>();
        public volatile Status status = Status.PENDING;
        public volatile String messageId;
        public volatile String reasonCode;

        public Outcome(String type, String controlNumber, String typeVersion) {
            this.type = type;
            this.controlNumber = controlNumber;
            this.typeVersion = typeVersion;
        }
    }

    /** An acknowledgement's verdict on a transaction. */
    public enum Status { PENDING, ACCEPTED, REJECTED, ACKNOWLEDGEMENT }

    public String standard = "";
    /** ISA12 (X12) or the syntax identifier and version of UNB01 (EDIFACT), e.g. {@code UNOA:4}. */
    public String version = "";
    public String senderQualifier = "";
    public String senderId = "";
    public String receiverQualifier = "";
    public String receiverId = "";
    public String controlNumber = "";
    public String date = "";
    public String time = "";
    public boolean ackRequested;
    /** Delimiters as read, for writing the acknowledgement in kind. */
    public char segmentTerminator = '~';
    public char elementSeparator = '*';
    public char componentSeparator = ':';
    public Character repetitionSeparator;
    public final List<EdiError> errors = new ArrayList<>();
    public final List<Group> groups = new ArrayList<>();
    public boolean closed;
    /** The partner it was resolved to, once the ingest route has checked the profile. */
    public volatile String partnerId;
    /** Why the whole interchange is refused (unknown partner, wrong receiver, duplicate), or null. */
    public volatile String rejection;
    public volatile String rejectionText;

    public boolean isX12() {
        return "X12".equals(standard);
    }

    public boolean hasFatalErrors() {
        return errors.stream().anyMatch(EdiError::fatal);
    }

    /** The interchange's natural key within its sender: ISA13 or UNB5. */
    public String key() {
        return senderQualifier + ":" + senderId + "/" + controlNumber;
    }
}
