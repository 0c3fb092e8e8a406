package io.intakehub.shared;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/** The README's reason-code table and {@link ReasonCode} say the same thing, row for row. */
class ReadmeReasonCodesTest {

    @Test
    void everyReasonCodeHasItsRowWithTheEnumsOwnWordsAndNoRowIsStale() throws Exception {
        List<String> lines = Files.readAllLines(Path.of("docs/reason-codes.md"));
        for (ReasonCode code : ReasonCode.values()) {
            String row = lines.stream().filter(l -> l.startsWith("| `" + code.name() + "` |")).findFirst().orElse(null);
            assertThat(row).as("README row for " + code).isNotNull();
            assertThat(row).as("meaning of " + code).contains(code.meaning());
            assertThat(row).as("action of " + code).contains(code.action());
            assertThat(row).as("kind of " + code).contains(code.isTransient() ? "transient" : code.isSenderFault() ? "sender error" : "permanent");
        }
        Pattern rowCode = Pattern.compile("^\\| `([A-Z_]+)` \\|");
        for (String l : lines) {
            Matcher m = rowCode.matcher(l);
            if (m.find()) {
                assertThat(Arrays.stream(ReasonCode.values()).map(Enum::name)).as("README row " + m.group(1)).contains(m.group(1));
            }
        }
    }
}
