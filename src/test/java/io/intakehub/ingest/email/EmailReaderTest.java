package io.intakehub.ingest.email;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

import io.intakehub.shared.HubException;
import io.intakehub.shared.ReasonCode;
import org.junit.jupiter.api.Test;

class EmailReaderTest {

    private final EmailReader reader = new EmailReader(1_000_000, 50, 6);

    static byte[] sample(String name) throws IOException {
        try (InputStream in = EmailReaderTest.class.getResourceAsStream("/samples/email/" + name)) {
            return in.readAllBytes();
        }
    }

    private static byte[] mail(String headers, byte[] body) {
        byte[] h = (headers.replace("\n", "\r\n") + "\r\n").getBytes(StandardCharsets.ISO_8859_1);
        byte[] out = new byte[h.length + body.length];
        System.arraycopy(h, 0, out, 0, h.length);
        System.arraycopy(body, 0, out, h.length, body.length);
        return out;
    }

    @Test
    void gb2312LabelledTextIsReadAsGb18030AndASubjectSplitMidCharacterComesOutWhole() throws IOException {
        ParsedEmail m = reader.read(sample("complaint-gb2312-gb18030.eml"));
        assertThat(m.subject()).isEqualTo("投诉：镕钢板批号 B-2026-1107 质量问题");
        assertThat(m.from().name()).isEqualTo("王建国");
        assertThat(m.from().address()).isEqualTo("wang.jianguo@customer.example");
        assertThat(m.text()).contains("上海镕达五金有限公司").contains("𠮷型");
        assertThat(m.flags()).doesNotContain(EmailReader.CHARSET_SUSPECT);
        assertThat(m.messageId()).isEqualTo("complaint-gb18030-0001@customer.example");
    }

    @Test
    void big5HtmlOnlyBecomesTextWithTheTableCellsOnTheirLines() throws IOException {
        ParsedEmail m = reader.read(sample("complaint-big5-html.eml"));
        assertThat(m.subject()).isEqualTo("投訴：紙箱受潮");
        assertThat(m.text()).contains("客戶名稱： 台北振興貿易").contains("收到的紙箱全部受潮變形 & 無法出貨。")
                .doesNotContain("color:red").doesNotContain("<");
        assertThat(m.flags()).contains(EmailReader.HTML_ONLY).doesNotContain(EmailReader.CHARSET_SUSPECT);
    }

    @Test
    void quotedPrintablePlainAlternativeWinsOverHtml() throws IOException {
        ParsedEmail m = reader.read(sample("complaint-qp-english.eml"));
        assertThat(m.text()).contains("Twelve cartons arrived crushed — the pallet wrap was torn.").doesNotContain("HTML");
    }

    @Test
    void iso2022jpAndRaw8bitHeadersDecode() {
        byte[] jp = "納品書の件".getBytes(Charset.forName("ISO-2022-JP"));
        String subject = "=?ISO-2022-JP?B?" + Base64.getEncoder().encodeToString(jp) + "?=";
        byte[] raw8bit = "Subject: 质量投诉\r\n".getBytes(StandardCharsets.UTF_8);
        ParsedEmail a = reader.read(mail("From: a@b.example\nSubject: " + subject + "\nContent-Type: text/plain; charset=iso-2022-jp\n",
                "本文です\n".getBytes(Charset.forName("ISO-2022-JP"))));
        assertThat(a.subject()).isEqualTo("納品書の件");
        assertThat(a.text()).isEqualTo("本文です");
        byte[] b = new byte[raw8bit.length + 40];
        byte[] rest = "From: c@d.example\r\n\r\nbody\r\n".getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(raw8bit, 0, b, 0, raw8bit.length);
        System.arraycopy(rest, 0, b, raw8bit.length, rest.length);
        ParsedEmail c = reader.read(java.util.Arrays.copyOf(b, raw8bit.length + rest.length));
        assertThat(c.subject()).isEqualTo("质量投诉");
    }

    @Test
    void textThatNoCharsetCanReadIsFlaggedNotSilentlyReplaced() {
        // declared utf-8, but the bytes are neither UTF-8 nor GB18030
        byte[] body = {(byte) 0x81, (byte) 0x20, (byte) 0xFF, (byte) 0xFE, 'o', 'k'};
        ParsedEmail m = reader.read(mail("From: a@b.example\nSubject: x\nContent-Type: text/plain; charset=utf-8\n", body));
        assertThat(m.flags()).contains(EmailReader.CHARSET_SUSPECT);
        // mojibake that was already in the text (UTF-8 replacement bytes read as GBK) is flagged too
        ParsedEmail k = reader.read(mail("From: a@b.example\nSubject: x\nContent-Type: text/plain; charset=gbk\n",
                "锟斤拷 text".getBytes(Charset.forName("GBK"))));
        assertThat(k.flags()).contains(EmailReader.CHARSET_SUSPECT);
    }

    @Test
    void attachmentNamesLoseTheirPathAndCsvBytesAreKept() throws IOException {
        ParsedEmail m = reader.read(sample("order-csv.eml"));
        assertThat(m.attachments()).singleElement().satisfies(a -> {
            assertThat(a.name()).isEqualTo("order-lines.csv");
            assertThat(a.contentType()).isEqualTo("text/csv");
            assertThat(a.sha256()).hasSize(64);
        });
        assertThat(m.subject()).isEqualTo("订单 PO-2026-0042");
    }

    @Test
    void limitsAndUnreadableMailAreRefusedWithTheirReason() throws IOException {
        assertThatThrownBy(() -> new EmailReader(100, 50, 6).read(sample("complaint-qp-english.eml")))
                .isInstanceOfSatisfying(HubException.class, e -> assertThat(e.reason()).isEqualTo(ReasonCode.EMAIL_TOO_LARGE));
        assertThatThrownBy(() -> new EmailReader(1_000_000, 2, 6).read(sample("order-csv.eml")))
                .isInstanceOfSatisfying(HubException.class, e -> assertThat(e.reason()).isEqualTo(ReasonCode.EMAIL_TOO_COMPLEX));
        StringBuilder nested = new StringBuilder("From: a@b.example\nContent-Type: multipart/mixed; boundary=\"b0\"\n\n");
        for (int i = 1; i <= 8; i++) {
            nested.append("--b").append(i - 1).append("\nContent-Type: multipart/mixed; boundary=\"b").append(i).append("\"\n\n");
        }
        assertThatThrownBy(() -> reader.read(nested.toString().getBytes(StandardCharsets.US_ASCII)))
                .isInstanceOfSatisfying(HubException.class, e -> assertThat(e.reason()).isEqualTo(ReasonCode.EMAIL_TOO_COMPLEX));
        assertThatThrownBy(() -> reader.read(sample("not-an-email.eml")))
                .isInstanceOfSatisfying(HubException.class, e -> assertThat(e.reason()).isEqualTo(ReasonCode.EMAIL_UNREADABLE));
    }

    @Test
    void controlCharactersNeverSurviveInAHeaderValue() throws IOException {
        ParsedEmail m = reader.read(sample("header-injection.eml"));
        assertThat(m.subject()).doesNotContain("\r").doesNotContain("\n").startsWith("Complaint Bcc:");
    }

    @Test
    void autoGeneratedMailIsRecognised() throws IOException {
        assertThat(reader.read(sample("auto-submitted.eml")).autoHeaders()).singleElement().asString().contains("Auto-Submitted");
        assertThat(reader.read(sample("complaint-qp-english.eml")).autoHeaders()).isEmpty();
    }

    /** ISO-2022-CN, as RFC 1922 writes it: GB 2312 shifted into seven bits after ESC $ ) A and SO, back after SI. */
    static byte[] iso2022cn(String text) {
        byte[] gb = text.getBytes(java.nio.charset.Charset.forName("GB2312"));
        byte[] out = new byte[gb.length + 6];
        out[0] = 0x1b;
        out[1] = '$';
        out[2] = ')';
        out[3] = 'A';
        out[4] = 0x0e;
        for (int i = 0; i < gb.length; i++) {
            out[5 + i] = (byte) (gb[i] & 0x7f);
        }
        out[out.length - 1] = 0x0f;
        return out;
    }

    @Test
    void aCharsetJavaOnlyDecodesAndOneItDoesNotKnowAreReadNotRefused() {
        byte[] body = iso2022cn("中文投诉");
        String word = "=?ISO-2022-CN?B?" + java.util.Base64.getEncoder().encodeToString(body) + "?=";
        ParsedEmail cn = reader.read(mail("From: a@b.example\nSubject: " + word + "\nMIME-Version: 1.0\n"
                + "Content-Type: text/plain; charset=ISO-2022-CN\n", body));
        assertThat(cn.subject()).isEqualTo("中文投诉");
        assertThat(cn.text()).contains("中文投诉");
        // a label no JDK knows: the bytes are still read (UTF-8 here), never an internal error
        ParsedEmail unknown = reader.read(mail("From: a@b.example\nSubject: x\nMIME-Version: 1.0\n"
                + "Content-Type: text/plain; charset=x-no-such-charset\n", "投诉".getBytes(StandardCharsets.UTF_8)));
        assertThat(unknown.text()).contains("投诉");
    }
}
