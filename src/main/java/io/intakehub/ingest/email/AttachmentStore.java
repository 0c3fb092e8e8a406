package io.intakehub.ingest.email;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Attachments kept by reference: each stored once under its SHA-256 ({@code <dir>/ab/abcdef…}),
 * written to a temporary file and moved into place, so a reader never sees half a file. The
 * canonical message carries name, type, size and hash; the bytes stay here.
 */
public final class AttachmentStore {

    private final Path dir;

    public AttachmentStore(Path dir) {
        this.dir = dir.toAbsolutePath().normalize();
    }

    /** Stores the bytes (once) and returns where they are. */
    public Path save(ParsedEmail.Attachment a) {
        Path target = path(a.sha256());
        if (Files.exists(target)) {
            return target;
        }
        try {
            Files.createDirectories(target.getParent());
            Path tmp = Files.createTempFile(target.getParent(), a.sha256(), ".tmp");
            Files.write(tmp, a.bytes());
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot store attachment " + a.name() + " in " + dir, e);
        }
    }

    public Path path(String sha256) {
        if (sha256.length() != 64 || !sha256.chars().allMatch(c -> c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
            throw new IllegalArgumentException("not a SHA-256: " + sha256);
        }
        return dir.resolve(sha256.substring(0, 2)).resolve(sha256);
    }
}
