package io.intakehub.mapping;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.schibsted.spt.data.jslt.Expression;
import com.schibsted.spt.data.jslt.Parser;
import io.intakehub.canonical.CanonicalJson;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class NativeFunctionsTest {

    @ParameterizedTest(name = "{0} on {1}")
    @CsvSource(delimiter = '|', value = {
        "text(.v)     | {\"v\": \"  王伟 \"}            | \"王伟\"",
        "text(.v)     | {\"v\": \"   \"}              | null",
        "text(.v)     | {\"v\": 12.50}              | \"12.50\"",
        "text(.v)     | {\"v\": {\"a\": 1}}           | null",
        "decimal(.v)  | {\"v\": \"1,234.50\"}         | \"1234.50\"",
        "decimal(.v)  | {\"v\": \" 5 000 \"}          | \"5000\"",
        "flag(.v)     | {\"v\": \"是\"}               | true",
        "flag(.v)     | {\"v\": \"OFF\"}              | false",
        "flag(.v)     | {\"v\": \"perhaps\"}          | \"perhaps\"",
        "code(.v, {\"退货\": \"return\", \"return\": \"return\"}) | {\"v\": \"退货\"} | \"return\"",
        "code(.v, {\"return\": \"return\"})                  | {\"v\": \"RETURN\"} | \"return\"",
        "code(.v, {\"return\": \"return\"})                  | {\"v\": \"swap\"} | \"swap\"",
        "items(.v)    | {\"v\": \"退货、赔偿; discount\"} | [\"退货\",\"赔偿\",\"discount\"]",
        "items(.v)    | {\"v\": [\" a \", \"\", \"b\"]}   | [\"a\",\"b\"]",
        "address(.v)  | {\"v\": \"上海市 1 号\"}          | {\"text\":\"上海市 1 号\"}",
        "address(.v)  | {\"v\": {\"city\": \" Shanghai \", \"planet\": \"Earth\"}} | {\"city\":\"Shanghai\"}",
        "address(.v)  | {\"v\": {}}                 | null"})
    void helperGivesTheDocumentedValue(String expression, String input, String expected) throws Exception {
        Expression e = new Parser(new java.io.StringReader("[" + expression + "]"))
                .withFunctions(NativeFunctions.all()).compile();
        JsonNode out = e.apply(CanonicalJson.mapper().readTree(input)).get(0);
        assertThat(out == null ? "null" : out.toString()).isEqualTo(expected);
    }
}
