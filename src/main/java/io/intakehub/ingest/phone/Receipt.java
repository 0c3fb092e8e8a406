package io.intakehub.ingest.phone;

import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;

/**
 * The call-centre system's receipt for one export, {@code <name>.ack.csv}: one line per input row
 * (line number, outcome, tracking id, reason code, detail), written as the rows settle into
 * {@code <name>.ack.csv.part} and renamed into place only when every row has its outcome. UTF-8,
 * comma-separated, RFC 4180 quoting, LF line ends, a header line first.
 */
public final class Receipt implements Closeable {

    /** What became of a row. */
    public enum Outcome {
        /** Delivered: a canonical message on its Kafka topic (tracking id = message id). */
        ACCEPTED,
        /** Kept, not delivered: an inquiry in the journal, or a call-detail record logged as a contact event. */
        RECORDED,
        /** Taken before (same call id, same content), from this or an earlier file; tracking id of the first. */
        DUPLICATE,
        /** Dead-lettered; the reason code says why. */
        REJECTED,
        /** An empty line. */
        SKIPPED
    }

    public static final String HEADER = "line,outcome,tracking_id,reason_code,detail";
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

    private final Path target;
    private final Path part;
    private final BufferedWriter out;
    private final long[] counts = new long[Outcome.values().length];

    private Receipt(Path target) throws IOException {
        this.target = target;
        this.part = target.resolveSibling(target.getFileName() + ".part");
        Files.createDirectories(target.getParent());
        this.out = Files.newBufferedWriter(part, StandardCharsets.UTF_8);
        out.write(HEADER);
        out.write('\n');
    }

    /** Starts the receipt of {@code fileName} in {@code folder}. */
    public static Receipt open(Path folder, String fileName) throws IOException {
        return new Receipt(folder.resolve(fileName + ".ack.csv"));
    }

    public void line(long line, Outcome outcome, String trackingId, String reasonCode, String detail) throws IOException {
        counts[outcome.ordinal()]++;
        out.write(Long.toString(line));
        out.write(',');
        out.write(outcome.name());
        out.write(',');
        out.write(trackingId == null ? "" : trackingId);
        out.write(',');
        out.write(reasonCode == null ? "" : reasonCode);
        out.write(',');
        out.write(quote(detail));
        out.write('\n');
    }

    public long count(Outcome outcome) {
        return counts[outcome.ordinal()];
    }

    /** All rows settled: the receipt takes its name (an older receipt of the same name is kept with a time stamp). */
    public Path commit() throws IOException {
        out.close();
        keepOlder(target);
        Files.move(part, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        return target;
    }

    /**
     * Renames an earlier file of the same name (a re-dropped export's input or receipt) to
     * {@code <name>.<yyyyMMdd-HHmmss>} so that nothing of the first drop is overwritten.
     */
    public static void keepOlder(Path file) throws IOException {
        if (Files.exists(file)) {
            String stamp = STAMP.format(LocalDateTime.ofInstant(Files.getLastModifiedTime(file).toInstant(), java.time.ZoneId.systemDefault()));
            Path older = file.resolveSibling(file.getFileName() + "." + stamp);
            for (int n = 2; Files.exists(older); n++) {
                older = file.resolveSibling(file.getFileName() + "." + stamp + "-" + n);
            }
            Files.move(file, older, StandardCopyOption.ATOMIC_MOVE);
        }
    }

    /** The rows did not all settle (the file will be read again): the partial receipt goes. */
    @Override
    public void close() throws IOException {
        out.close();
        Files.deleteIfExists(part);
    }

    static String quote(String s) {
        if (s == null || s.isEmpty()) {
            return "";
        }
        String flat = s.replace("\r\n", " ").replace('\n', ' ').replace('\r', ' ');
        if (flat.indexOf(',') < 0 && flat.indexOf('"') < 0) {
            return flat;
        }
        return '"' + flat.replace("\"", "\"\"") + '"';
    }
}
