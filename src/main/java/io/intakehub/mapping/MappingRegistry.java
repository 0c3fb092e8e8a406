package io.intakehub.mapping;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

import com.google.re2j.Matcher;
import com.google.re2j.Pattern;
import com.schibsted.spt.data.jslt.JsltException;
import com.schibsted.spt.data.jslt.Parser;
import com.schibsted.spt.data.jslt.impl.NodeUtils;
import io.intakehub.canonical.CompactObjectNode;
import io.intakehub.canonical.CanonicalType;
import io.intakehub.shared.HubException;
import io.intakehub.shared.ReasonCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;

/**
 * All mapping files, compiled once. File layout (a new partner variant is a new file, not code):
 * <pre>
 *   mappings/&lt;format&gt;/&lt;source-type&gt;-to-&lt;canonical-type&gt;.jslt              the default
 *   mappings/&lt;format&gt;/partners/&lt;partner&gt;/&lt;source-type&gt;-to-&lt;canonical-type&gt;.jslt  one partner's variant
 * </pre>
 * Loaded from a folder (watched for edits when reload is on: a broken edit is logged and the
 * previous version kept) or from the classpath (the packaged jar).
 */
public final class MappingRegistry {

    private static final Pattern JSLT_NAME = Pattern.compile("[A-Za-z0-9_-]+\\.jslt");

    private static final Logger LOG = LoggerFactory.getLogger(MappingRegistry.class);

    static {
        // JSLT makes every object it builds — at run time and the literals it folds at compile time — through this
        // public mapper of its own; with the hub's node factory they are CompactObjectNodes, which the mappings fill
        // and the canonical writer reads for less (B4). Set here, before the first file is compiled.
        // Nothing else in the hub uses JSLT's mapper.
        NodeUtils.mapper.setNodeFactory(CompactObjectNode.FACTORY);
    }
    private static final Pattern FILE = Pattern.compile(
            "(?<format>[a-z0-9-]+)/(?:partners/(?<partner>[A-Za-z0-9._-]+)/)?(?<source>[a-z0-9-]+)-to-(?<target>[a-z-]+)\\.jslt");

    /** Folder of modules a mapping may {@code import} (shared helpers), relative to the mappings root. */
    static final String LIB = "lib/";
    /** The ending of a mapping's input schema, {@code <format>/<source>.input.json}. */
    static final String INPUT_SCHEMA = ".input.json";

    private final Path directory;
    private final String location;
    private final Map<String, Mapping> byKey = new ConcurrentHashMap<>();
    private final Map<String, FileTime> modified = new HashMap<>();

    private MappingRegistry(Path directory, String location) {
        this.directory = directory;
        this.location = location;
    }

    /** Loads every {@code .jslt} under a folder; {@link #rescan()} picks up later edits. */
    public static MappingRegistry fromDirectory(Path directory) {
        MappingRegistry r = new MappingRegistry(directory, null);
        r.rescan();
        if (r.byKey.isEmpty()) {
            throw new IllegalStateException("no mapping files under " + directory.toAbsolutePath());
        }
        return r;
    }

    /** Loads every {@code .jslt} under a classpath (or other Spring resource) location, once. */
    public static MappingRegistry fromLocation(String location) {
        String base = location.endsWith("/") ? location : location + "/";
        MappingRegistry r = new MappingRegistry(null, base);
        try {
            Resource[] found = new PathMatchingResourcePatternResolver().getResources(base + "**/*.jslt");
            for (Resource res : found) {
                String url = res.getURL().toString();
                int at = url.lastIndexOf("mappings/");
                String rel = at >= 0 ? url.substring(at + "mappings/".length()) : res.getFilename();
                if (rel.startsWith(LIB)) {
                    continue;
                }
                try (InputStream in = res.getInputStream()) {
                    r.compile(rel, new String(in.readAllBytes(), StandardCharsets.UTF_8), true);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read mappings from " + location, e);
        }
        if (r.byKey.isEmpty()) {
            throw new IllegalStateException("no mapping files under " + location);
        }
        return r;
    }

    /**
     * The mapping for an input: the partner's own file if there is one, else the format's default.
     *
     * @throws HubException {@code NO_MAPPING} when neither exists
     */
    public Mapping find(MappingKey key) {
        if (key.partner() != null && !key.partner().isEmpty()) {
            Mapping own = byKey.get(key.format() + "|" + key.partner() + "|" + key.sourceType());
            if (own != null) {
                return own;
            }
        }
        Mapping m = byKey.get(key.format() + "||" + key.sourceType());
        if (m == null) {
            throw new HubException(ReasonCode.NO_MAPPING, "no mapping for " + key
                    + " (expected mappings/" + key.format() + "/" + key.sourceType() + "-to-<type>.jslt)");
        }
        return m;
    }

    /** Number of mappings loaded. */
    public int size() {
        return byKey.size();
    }

    /** Re-reads changed files from the folder; a file that no longer compiles keeps its old version. */
    public synchronized void rescan() {
        if (directory == null || !Files.isDirectory(directory)) {
            return;
        }
        List<Path> files;
        try (Stream<Path> s = Files.walk(directory)) {
            files = s.filter(p -> p.toString().endsWith(".jslt") || p.toString().endsWith(INPUT_SCHEMA)).sorted().toList();
        } catch (IOException e) {
            LOG.warn("Cannot scan mappings folder {}: {}", directory, e.getMessage());
            return;
        }
        boolean libChanged = false;
        for (Path p : files) {
            String rel = directory.relativize(p).toString().replace('\\', '/');
            if (rel.startsWith(LIB) || rel.endsWith(INPUT_SCHEMA)) {
                libChanged |= changed(p, rel);
            }
        }
        if (libChanged && !byKey.isEmpty()) {
            // a shared module or an input schema changed: every mapping that may use it is compiled again
            modified.keySet().removeIf(k -> !k.startsWith(LIB) && !k.endsWith(INPUT_SCHEMA));
            LOG.info("Mapping modules changed; recompiling all mappings");
        }
        for (Path p : files) {
            String rel = directory.relativize(p).toString().replace('\\', '/');
            if (rel.startsWith(LIB) || rel.endsWith(INPUT_SCHEMA)) {
                continue;
            }
            try {
                FileTime t = Files.getLastModifiedTime(p);
                if (t.equals(modified.get(rel))) {
                    continue;
                }
                boolean first = !modified.containsKey(rel);
                modified.put(rel, t);
                compile(rel, Files.readString(p, StandardCharsets.UTF_8), first);
                if (!first) {
                    LOG.info("Mapping {} reloaded", rel);
                }
            } catch (IOException e) {
                LOG.warn("Cannot read mapping {}: {}", rel, e.getMessage());
            }
        }
    }

    private boolean changed(Path p, String rel) {
        try {
            FileTime t = Files.getLastModifiedTime(p);
            return !t.equals(modified.put(rel, t));
        } catch (IOException e) {
            return false;
        }
    }

    /** The input schema beside a mapping ({@code <format>/<source>.input.json}), or null when there is none. */
    private InputShape inputShape(String rel) {
        try {
            String json;
            if (directory != null) {
                Path p = directory.resolve(rel);
                if (!Files.isRegularFile(p)) {
                    return null;
                }
                json = Files.readString(p, StandardCharsets.UTF_8);
            } else {
                Resource res = new PathMatchingResourcePatternResolver().getResource(location + rel);
                if (!res.exists()) {
                    return null;
                }
                try (InputStream in = res.getInputStream()) {
                    json = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                }
            }
            return InputShape.compile(rel, json);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the input schema mappings/" + rel, e);
        }
    }

    private Reader module(String name) {
        // SECURITY: module names come from mapping files; never leave the lib folder
        if (!JSLT_NAME.matcher(name).matches()) {
            throw new JsltException("import '" + name + "' is not a plain file name in mappings/lib/");
        }
        try {
            if (directory != null) {
                return Files.newBufferedReader(directory.resolve(LIB + name), StandardCharsets.UTF_8);
            }
            Resource res = new PathMatchingResourcePatternResolver().getResource(location + LIB + name);
            return new InputStreamReader(res.getInputStream(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new JsltException("cannot read module mappings/lib/" + name + ": " + e.getMessage());
        }
    }

    private void compile(String rel, String text, boolean failHard) {
        Matcher m = FILE.matcher(rel);
        if (!m.matches()) {
            String msg = "mapping file " + rel + " is not named <format>/[partners/<partner>/]<source>-to-<type>.jslt";
            if (failHard) {
                throw new IllegalStateException(msg);
            }
            LOG.error(msg);
            return;
        }
        CanonicalType target = CanonicalType.fromWireName(m.group("target")).orElseThrow(() ->
                new IllegalStateException("mapping file " + rel + " targets unknown type " + m.group("target")));
        try {
            Mapping mapping = new Mapping(rel, target, new Parser(new StringReader(text))
                    .withSource(rel)
                    .withFunctions(NativeFunctions.all())
                    .withResourceResolver(this::module)
                    .compile(), inputShape(m.group("format") + "/" + m.group("source") + INPUT_SCHEMA));
            String partner = m.group("partner") == null ? "" : m.group("partner");
            byKey.put(m.group("format") + "|" + partner + "|" + m.group("source"), mapping);
        } catch (JsltException e) {
            if (failHard) {
                throw new IllegalStateException("mapping " + rel + " does not compile: " + e.getMessage(), e);
            }
            LOG.error("Mapping {} does not compile, keeping the previous version: {}", rel, e.getMessage());
        }
    }
}
