package io.intakehub.canonical;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;

import org.junit.jupiter.api.Test;

class MessageIdsTest {

    @Test
    void version5MatchesTheRfcExample() {
        // RFC 9562 appendix A.4: DNS namespace, name "www.example.com"
        UUID dns = UUID.fromString("6ba7b810-9dad-11d1-80b4-00c04fd430c8");
        assertThat(MessageIds.v5(dns, "www.example.com")).hasToString("2ed6657d-e927-568b-95e1-2665a8aea6a2");
    }

    @Test
    void idsAreStablePerSourceAndDifferPerPart() {
        String a = MessageIds.of("edi", "ACME", "ISA000000905/GS1/ST0001", 0);
        assertThat(MessageIds.of("edi", "ACME", "ISA000000905/GS1/ST0001", 0)).isEqualTo(a);
        assertThat(MessageIds.of("edi", "ACME", "ISA000000905/GS1/ST0001", 1)).isNotEqualTo(a);
        assertThat(MessageIds.of("edi", "OTHER", "ISA000000905/GS1/ST0001", 0)).isNotEqualTo(a);
        // the separator cannot be forged by shifting text between fields
        assertThat(MessageIds.of("web", "ab", "c", 0)).isNotEqualTo(MessageIds.of("web", "a", "bc", 0));
    }
}
