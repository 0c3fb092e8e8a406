package io.intakehub.ingest.email;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

class AutoReplyPolicyTest {

    private final AutoReplyPolicy policy = new AutoReplyPolicy(
            "(no[-_.]?reply|do[-_.]?not[-_.]?reply|mailer[-_.]daemon|postmaster|bounces?|notifications?|auto[-_.]?reply|daemon)([-+.].*)?",
            List.of("intake@localhost"), 5);
    private final EmailReader reader = new EmailReader(100_000, 50, 6);

    private ParsedEmail mail(String headers) {
        return reader.read((headers + "\r\nContent-Type: text/plain\r\n\r\nbody\r\n").getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void aPersonsMailIsAnsweredUpToTheHourlyLimit() {
        ParsedEmail m = mail("From: Anna <anna@example.com>");
        assertThat(policy.refuse(m, 0)).isEmpty();
        assertThat(policy.refuse(m, 4)).isEmpty();
        assertThat(policy.refuse(m, 5)).get().asString().contains("5 replies");
    }

    @Test
    void automaticMailListsBouncesAndSystemSendersAreNeverAnswered() {
        for (String h : List.of("From: a@example.com\r\nAuto-Submitted: auto-generated", "From: a@example.com\r\nPrecedence: bulk",
                "From: a@example.com\r\nList-Id: <news.example.com>", "From: a@example.com\r\nX-Auto-Response-Suppress: All",
                "From: a@example.com\r\nReturn-Path: <>", "From: no-reply@example.com", "From: MAILER-DAEMON@example.com",
                "From: noreply+shop@example.com", "From: intake@localhost", "Subject: no sender")) {
            assertThat(policy.refuse(mail(h), 0)).as(h).isPresent();
        }
        assertThat(policy.refuse(mail("From: a@example.com\r\nAuto-Submitted: no"), 0)).isEmpty();
        assertThat(policy.refuse(mail("From: replyguy@example.com"), 0)).isEmpty();
    }

    @Test
    void attachmentNamesAreMadeSafe() {
        assertThat(AttachmentNames.safe("../../etc/passwd", 1, null)).isEqualTo("passwd");
        assertThat(AttachmentNames.safe("C:\\Users\\x\\report.pdf", 1, null)).isEqualTo("report.pdf");
        assertThat(AttachmentNames.safe("a..b\u0000c\r\n.txt", 1, null)).isEqualTo("a_b_c__.txt");
        assertThat(AttachmentNames.safe("invoice\u202Efdp.exe", 1, null)).isEqualTo("invoice_fdp.exe");
        assertThat(AttachmentNames.safe("...", 3, null)).isEqualTo("attachment-3");
        assertThat(AttachmentNames.safe("x".repeat(300) + ".pdf", 1, null)).hasSize(120).endsWith(".pdf");
    }
}
