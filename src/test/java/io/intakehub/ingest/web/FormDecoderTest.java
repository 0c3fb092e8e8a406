package io.intakehub.ingest.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

import io.intakehub.shared.HubException;
import io.intakehub.shared.ReasonCode;
import org.junit.jupiter.api.Test;

class FormDecoderTest {

    @Test
    void nestedIndexedAndRepeatedNamesBecomeTheJsonTreeAJsonClientWouldSend() {
        var tree = FormDecoder.decode(
                "customerName=%E7%8E%8B+%E4%BC%9F&lines%5B1%5D.quantity=2&lines%5B0%5D.productCode=A1"
                        + "&lines[0].quantity=5&requests=return&requests=discount&deliveryAddress.city=Shanghai&empty=",
                StandardCharsets.UTF_8);
        assertThat(tree.toString()).isEqualTo("{\"customerName\":\"王 伟\",\"lines\":[{\"productCode\":\"A1\",\"quantity\":\"5\"},"
                + "{\"quantity\":\"2\"}],\"requests\":[\"return\",\"discount\"],\"deliveryAddress\":{\"city\":\"Shanghai\"},\"empty\":\"\"}");
    }

    @Test
    void gbkFormsDecodeWithTheirDeclaredCharset() {
        var tree = FormDecoder.decode("customerName=%CD%F5%CE%B0", Charset.forName("GBK"));
        assertThat(tree.get("customerName").asText()).isEqualTo("王伟");
    }

    @Test
    void badNamesEncodingAndAbuseAreMalformedInput() {
        for (String body : new String[] {"a=%zz", "lines[0]=x&lines[0].code=y", "x[99999]=1", "bad name=1",
                "a.b.c.d.e.f.g.h.i=1", "a=1&a.b=2"}) {
            assertThatThrownBy(() -> FormDecoder.decode(body, StandardCharsets.UTF_8))
                    .as(body)
                    .isInstanceOfSatisfying(HubException.class, e -> assertThat(e.reason()).isEqualTo(ReasonCode.MALFORMED_INPUT));
        }
    }

    @Test
    void whatAPostMayBuildIsBoundedAndEachBoundIsItsOwnReason() {
        FormDecoder.Limits limits = FormDecoder.Limits.DEFAULT;
        // many fields; an index past the limit; many indices in one name; gaps that would pad lists to millions
        StringBuilder padding = new StringBuilder();
        for (int i = 0; i < 20; i++) {
            padding.append("l").append(i).append("[999]=x&");
        }
        for (String body : new String[] {"a=1&".repeat(limits.maxFields() + 1), "lines[1000].code=x", padding.toString()}) {
            assertThatThrownBy(() -> FormDecoder.decode(body, StandardCharsets.UTF_8))
                    .as(body.substring(0, Math.min(40, body.length())))
                    .isInstanceOfSatisfying(HubException.class, e -> assertThat(e.reason()).isEqualTo(ReasonCode.LIMIT_EXCEEDED))
                    .hasMessageContaining("hub.limits.form-max");
        }
        assertThatThrownBy(() -> FormDecoder.decode("a[1][2][3]=x", StandardCharsets.UTF_8))
                .isInstanceOfSatisfying(HubException.class, e -> assertThat(e.reason()).isEqualTo(ReasonCode.MALFORMED_INPUT));
        // the largest form the limits allow is decoded, and quickly: the bound is on what is built, not on time
        StringBuilder big = new StringBuilder();
        for (int i = 0; i < 999; i++) {
            big.append("lines[").append(i).append("].code=").append(i).append('&');
        }
        assertThat(FormDecoder.decode(big.toString(), StandardCharsets.UTF_8).path("lines").size()).isEqualTo(999);
    }
}
