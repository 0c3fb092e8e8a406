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
        "address(.v)  | {\"v\": {}}                 | null",
        "qualified(.L, \"N1.N101\", \"ST\")  | {\"L\": [{\"N1\": [{\"N101\": \"BY\"}]}, {\"N1\": [{\"N101\": \"ST\", \"N102\": \"Dock\"}]}]} | {\"N1\":[{\"N101\":\"ST\",\"N102\":\"Dock\"}]}",
        "qualified(.L, \"N1.N101\", \"SF\")  | {\"L\": [{\"N1\": [{\"N101\": \"BY\"}]}]} | null",
        "qualified(.D, \"DTM01\", [\"002\", \"010\"]) | {\"D\": [{\"DTM01\": \"004\"}, {\"DTM01\": \"010\", \"DTM02\": \"1\"}, {\"DTM01\": \"002\"}]} | {\"DTM01\":\"010\",\"DTM02\":\"1\"}",
        "qualified(.Q, \"QTY01\", \"21\")    | {\"Q\": [{\"QTY01\": [\"12\", \"5\"]}, {\"QTY01\": [\"21\", \"7\"]}]} | {\"QTY01\":[\"21\",\"7\"]}",
        "qualified(.Q, \"QTY01\", \"21\")    | {\"Q\": \"text\"} | null",
        "by-qualifier(.S, [\"P6\", \"P7\", \"P8\", \"P9\"], [\"VP\", \"BP\"]) | {\"S\": {\"P6\": \"BP\", \"P7\": \"B-1\", \"P8\": \" VP\", \"P9\": \"V-1\"}} | \"V-1\"",
        "by-qualifier(.S, [\"P6\", \"P7\"], [\"VP\", \"BP\"]) | {\"S\": {\"P6\": \"VP\", \"P7\": \" \"}} | null",
        "by-qualifier(.S, [\"P6\", \"P7\"], \"PD\") | {\"S\": {\"P6\": \"PD\", \"P7\": \"Pen\"}} | \"Pen\"",
        "join-present(\", \", .a, .b, .c)     | {\"a\": \" Dock 3 \", \"b\": [\"1 Road\", \"\", null], \"c\": \"Shanghai\"} | \"Dock 3, 1 Road, Shanghai\"",
        "join-present(\", \", .a, .b)         | {\"a\": \"  \", \"b\": []} | null",
        "counter(.v)  | {\"v\": \"007\"}             | 7",
        "counter(.v)  | {\"v\": 12}                | 12",
        "counter(.v)  | {\"v\": \"1234567\"}         | null",
        "counter(.v)  | {\"v\": \"1a\"}              | null",
        "counter(.v)  | {\"v\": \"\"}                | null"})
    void helperGivesTheDocumentedValue(String expression, String input, String expected) throws Exception {
        Expression e = new Parser(new java.io.StringReader("[" + expression + "]"))
                .withFunctions(NativeFunctions.all()).compile();
        JsonNode out = e.apply(CanonicalJson.mapper().readTree(input)).get(0);
        assertThat(out == null ? "null" : out.toString()).isEqualTo(expected);
    }
}
