package io.intakehub.flow;

import java.util.List;

import com.fasterxml.jackson.databind.node.ObjectNode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * The generated-input tier for longer runs: the same properties with many more tries and a random seed each run
 * ({@code mvn -B -Pfuzz test}); a failure prints its seed and the shrunk input, and {@code seed = "…"} on the
 * property in {@link GeneratedInputsProperties} replays it.
 */
class GeneratedInputsFuzz extends GeneratedInputsProperties {

    @Override
    @Property(tries = 1000)
    void everyGeneratedWebPostIsAcceptedOrRefusedWithAReason(@ForAll("forms") ObjectNode form, @ForAll("paths") String path)
            throws Exception {
        super.everyGeneratedWebPostIsAcceptedOrRefusedWithAReason(form, path);
    }

    @Override
    @Property(tries = 100)
    void everyGeneratedExportRowIsTakenOrRefusedWithAReasonAndTheFileSettles(@ForAll("rows") List<String> rows) throws Exception {
        super.everyGeneratedExportRowIsTakenOrRefusedWithAReasonAndTheFileSettles(rows);
    }

    @Override
    @Property(tries = 200)
    void everyGeneratedMailSettlesAndIsRecordedOnce(@ForAll("headerLines") List<String> extra, @ForAll("bodies") String body)
            throws Exception {
        super.everyGeneratedMailSettlesAndIsRecordedOnce(extra, body);
    }
}
