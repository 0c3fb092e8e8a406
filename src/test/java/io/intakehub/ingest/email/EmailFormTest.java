package io.intakehub.ingest.email;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.ZoneId;

import org.junit.jupiter.api.Test;

class EmailFormTest {

    private final EmailForm form = EmailForm.load("file:mappings/email/labels.yaml", ZoneId.of("Asia/Shanghai"));

    @Test
    void chineseAndEnglishLabelsWithEitherColonBecomeFields() {
        EmailForm.Result r = form.read("""
                客户名称：上海镕达五金
                Order No.: 4500012345
                批號: B-77
                数量 ： 1,200 件
                Unit price: US$ 12.50
                发生时间：2026/11/20 9:05
                Ship date: 2026-11-18
                要求：退货、赔偿 and repair
                The goods were wet.
                """);
        assertThat(r.fields()).containsEntry("customerName", "上海镕达五金").containsEntry("orderNumber", "4500012345")
                .containsEntry("batchNumber", "B-77").containsEntry("quantity", "1200").containsEntry("unitPrice", "12.50")
                .containsEntry("occurredAt", "2026-11-20T09:05:00+08:00").containsEntry("shipDate", "2026-11-18");
        assertThat(r.currency()).isEqualTo("USD");
        assertThat(r.requests()).containsExactly("退货", "赔偿", "repair");
        assertThat(r.freeText()).isEqualTo("The goods were wet.");
        assertThat(r.unreadable()).isEmpty();
    }

    @Test
    void aValueThatCannotBeReadIsReportedNotGuessed() {
        EmailForm.Result r = form.read("Quantity: about 10 or 12\nDate of incident: last Tuesday\nPhone: call me\n");
        assertThat(r.fields()).doesNotContainKeys("quantity", "occurredAt", "phone");
        assertThat(r.unreadable()).containsExactly("Quantity: about 10 or 12", "Date of incident: last Tuesday", "Phone: call me");
    }

    @Test
    void aDescriptionLabelTakesTheLinesThatFollowIt() {
        EmailForm.Result r = form.read("问题描述：第一行\n第二行\n\n另起一段\n");
        assertThat(r.fields().get("description")).isEqualTo("第一行\n第二行");
        assertThat(r.freeText()).isEqualTo("另起一段");
    }

    @Test
    void quotedMailAndSignaturesAreCutOff() {
        assertThat(form.read("New text.\n\nOn Mon, 23 Nov 2026 at 10:00, Service <s@x> wrote:\n> old\n").freeText()).isEqualTo("New text.");
        assertThat(form.read("新内容\n\n在 2026年11月23日 10:00，客服 写道：\n旧内容\n").freeText()).isEqualTo("新内容");
        assertThat(form.read("Text\n-----Original Message-----\nFrom: a\n").freeText()).isEqualTo("Text");
        assertThat(form.read("Text\n\nFrom: Service\nSent: Monday\nTo: me\n").freeText()).isEqualTo("Text");
        assertThat(form.read("Text\n> quoted\nmore\n-- \nAnna\n").freeText()).isEqualTo("Text\nmore");
    }

    @Test
    void csvOrderLinesUseTheSameLabels() {
        OrderLinesCsv.Lines lines = OrderLinesCsv.read("""
                Product code;Product;Qty;Unit price
                P-1;"Paper; A4";10;"1,020.50"
                P-2;Toner;x;3
                """.getBytes(java.nio.charset.StandardCharsets.UTF_8), form);
        assertThat(lines.lines()).hasSize(2);
        assertThat(lines.lines().get(0)).containsEntry("productName", "Paper; A4").containsEntry("unitPrice", "1020.50");
        assertThat(lines.unreadable()).containsExactly("row 3, Qty: x");
        assertThat(OrderLinesCsv.read("name,comment\na,b\n".getBytes(java.nio.charset.StandardCharsets.UTF_8), form)).isNull();
    }
}
