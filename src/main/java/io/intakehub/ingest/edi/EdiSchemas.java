package io.intakehub.ingest.edi;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Set;

import io.xlate.edi.schema.EDISchemaException;
import io.xlate.edi.schema.Schema;
import io.xlate.edi.schema.SchemaFactory;

/**
 * The StAEDI transaction schemas the hub ships ({@code src/main/resources/edi/}), loaded and compiled
 * into {@link TransactionStructure}s once.
 * A transaction type without a schema here is "not supported": it is acknowledged as such.
 */
public final class EdiSchemas {

    /** Incoming acknowledgements: matched to what we sent, never acknowledged themselves. */
    public static final Set<String> ACKNOWLEDGEMENTS = Set.of("997", "999", "CONTRL");

    private final Map<String, TransactionStructure> byType;

    public EdiSchemas() {
        byType = Map.of("X12/850", new TransactionStructure(load("edi/x12-850.xml")),
                "EDIFACT/ORDERS", new TransactionStructure(load("edi/edifact-ORDERS.xml")));
    }

    /** Whether the hub takes this transaction type of a standard. */
    public boolean supports(String standard, String type) {
        return byType.containsKey(standard + "/" + type);
    }

    /** The compiled structure for a transaction type of a standard, or null when the hub does not take that type. */
    TransactionStructure forTransaction(String standard, String type) {
        return byType.get(standard + "/" + type);
    }

    private static Schema load(String resource) {
        try (InputStream in = EdiSchemas.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing EDI schema " + resource);
            }
            return SchemaFactory.newFactory().createSchema(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (EDISchemaException e) {
            throw new IllegalStateException("EDI schema " + resource + " is invalid: " + e.getMessage(), e);
        }
    }
}
