package io.intakehub.ingest.edi;

import io.intakehub.shared.DeadLetters;
import io.intakehub.shared.InputBudget;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Step {@code edi-within-budget} of {@code ingest-edi}: each transaction of a file is checked, mapped and judged within
 * the per-input budget ({@link InputBudget}). Past it the transaction is rejected in the file's acknowledgement and
 * dead-lettered as {@code PROCESSING_TIMEOUT} with its segments, and the file goes on with its next transaction. The
 * file itself is read on the route's thread (StAEDI streams it in linear time); only the work per transaction is timed.
 */
public class EdiWatchdog implements org.apache.camel.Processor {

    private static final Logger LOG = LoggerFactory.getLogger(EdiWatchdog.class);
    static final String ROUTE = "direct:ingest-edi-transaction";

    private final ProducerTemplate template;
    private final EdiIngest ingest;
    private final InputBudget budget;
    private volatile Endpoint route;

    public EdiWatchdog(ProducerTemplate template, EdiIngest ingest, InputBudget budget) {
        this.template = template;
        this.ingest = ingest;
        this.budget = budget;
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        if (route == null) {
            route = exchange.getContext().getEndpoint(ROUTE);
        }
        Exchange done = budget.send(route, exchange.copy());
        if (done != null) {
            // a transient failure (Kafka, Artemis, the store) ends the file's split: it stays in in/
            exchange.setException(done.getException());
            return;
        }
        EdiTransaction t = ingest.describe(exchange);
        LOG.warn("EDI transaction {} of {} not taken within {}; rejected and dead-lettered as PROCESSING_TIMEOUT", t.reference(),
                exchange.getMessage().getHeader(io.intakehub.config.HubHeaders.FILE_NAME), budget.budget());
        io.intakehub.shared.HubException why = budget.timeout("transaction " + t.type() + " " + t.controlNumber());
        exchange.setProperty(Exchange.EXCEPTION_CAUGHT, why);
        ingest.rejected(exchange);
        DeadLetters.send(template, exchange, why, "ingest-edi-transaction");
    }
}
