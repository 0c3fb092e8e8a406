package io.intakehub.mapping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.intakehub.canonical.CanonicalType;
import io.intakehub.shared.HubException;
import io.intakehub.shared.ReasonCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MappingRegistryTest {

    @TempDir
    Path dir;

    @Test
    void partnerFileWinsOverTheFormatDefaultAndTheRestFallsBack() throws Exception {
        write("edi-x12/po-to-order.jslt", "{\"type\": \"order\", \"who\": \"default\"}");
        write("edi-x12/partners/ACME/po-to-order.jslt", "{\"type\": \"order\", \"who\": \"acme\"}");
        MappingRegistry r = MappingRegistry.fromDirectory(dir);
        assertThat(apply(r, "edi-x12", "ACME", "po")).isEqualTo("acme");
        assertThat(apply(r, "edi-x12", "OTHER", "po")).isEqualTo("default");
        assertThat(r.find(new MappingKey("edi", "edi-x12", "ACME", "po")).target()).isEqualTo(CanonicalType.ORDER);
        assertThatThrownBy(() -> r.find(new MappingKey("edi", "edifact", "ACME", "po")))
                .isInstanceOfSatisfying(HubException.class, e -> {
                    assertThat(e.reason()).isEqualTo(ReasonCode.NO_MAPPING);
                    assertThat(e.getMessage()).contains("mappings/edifact/po-to-<type>.jslt");
                });
    }

    @Test
    void editsArePickedUpAndABrokenEditKeepsThePreviousVersion() throws Exception {
        write("lib/common.jslt", "def who() \"v1\"");
        Path file = write("web-form/order-to-order.jslt", "import \"common.jslt\" as c {\"type\": \"order\", \"who\": c:who()}");
        MappingRegistry r = MappingRegistry.fromDirectory(dir);
        assertThat(apply(r, "web-form", "", "order")).isEqualTo("v1");

        write("lib/common.jslt", "def who() \"v2\"");
        touch(dir.resolve("lib/common.jslt"), 10);
        r.rescan();
        assertThat(apply(r, "web-form", "", "order")).isEqualTo("v2");

        Files.writeString(file, "{ this is not jslt");
        touch(file, 20);
        r.rescan();
        assertThat(apply(r, "web-form", "", "order")).isEqualTo("v2");
    }

    @Test
    void importsCannotLeaveTheLibFolder() throws Exception {
        write("web-form/order-to-order.jslt", "import \"../../etc/passwd\" as c {\"type\": \"order\"}");
        assertThatThrownBy(() -> MappingRegistry.fromDirectory(dir)).hasMessageContaining("not a plain file name");
    }

    private static String apply(MappingRegistry r, String format, String partner, String source) {
        return r.find(new MappingKey("x", format, partner, source)).apply(JsonNodeFactory.instance.objectNode())
                .get("who").asText();
    }

    private Path write(String rel, String text) throws Exception {
        Path p = dir.resolve(rel);
        Files.createDirectories(p.getParent());
        Files.writeString(p, text);
        return p;
    }

    private static void touch(Path p, int seconds) throws Exception {
        Files.setLastModifiedTime(p, FileTime.from(Instant.now().plusSeconds(seconds)));
    }
}
