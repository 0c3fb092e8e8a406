package io.intakehub.ingest.email;

import io.intakehub.config.HubHeaders;
import io.intakehub.shared.DeadLetters;
import io.intakehub.shared.InputBudget;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.mail.MailConstants;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Step {@code email-within-budget} of {@code ingest-email}: each mail is read, mapped and judged within the per-input
 * budget ({@link InputBudget}). Past it the mail is dead-lettered as {@code PROCESSING_TIMEOUT} with its raw bytes and
 * moved to quarantine, and the poller goes on with the next mail. The mail server is spoken to on the consumer's
 * thread only: the bytes are read here and the worker gets them.
 */
public class EmailWatchdog implements org.apache.camel.Processor {

    private static final Logger LOG = LoggerFactory.getLogger(EmailWatchdog.class);

    private final ProducerTemplate template;
    private final InputBudget budget;
    private final String quarantine;
    private final EmailIngest ingest;

    public EmailWatchdog(ProducerTemplate template, EmailIngest ingest, InputBudget budget, String quarantine) {
        this.template = template;
        this.ingest = ingest;
        this.budget = budget;
        this.quarantine = quarantine;
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        byte[] raw = ingest.rawBytes(exchange.getMessage());
        if (raw == null) {
            // too large: refused without being read, nothing to time
            template.send("direct:ingest-email-message", exchange);
            return;
        }
        Exchange work = exchange.copy();
        work.setMessage(new org.apache.camel.support.DefaultMessage(work));
        work.getMessage().setBody(raw);
        Exchange done = budget.send("direct:ingest-email-message", work);
        if (done == null) {
            timedOut(exchange, raw);
            return;
        }
        // what the consumer acts on: where the mail goes, or the failure that leaves it in the inbox
        Object moveTo = done.getMessage().getHeader(MailConstants.MAIL_MOVE_TO);
        if (moveTo != null) {
            exchange.getMessage().setHeader(MailConstants.MAIL_MOVE_TO, moveTo);
        }
        exchange.setException(done.getException());
    }

    private void timedOut(Exchange exchange, byte[] raw) throws Exception {
        // the worker reads the headers of every mail; only a mail given up needs them here, for its dead letter
        String messageId = RawHeaders.parse(raw).ascii("Message-ID");
        Exchange dl = exchange.copy();
        dl.setMessage(new org.apache.camel.support.DefaultMessage(dl));
        dl.getMessage().setBody(raw);
        dl.getMessage().setHeader(HubHeaders.CHANNEL, "email");
        if (messageId != null) {
            dl.getMessage().setHeader(HubHeaders.SOURCE_REF, io.intakehub.shared.Hashes.fitted(messageId, 500));
        }
        LOG.warn("Mail {} not read within {}; dead-lettered as PROCESSING_TIMEOUT and quarantined", messageId, budget.budget());
        DeadLetters.send(template, dl, budget.timeout("the mail"), "ingest-email-message");
        exchange.getMessage().setHeader(MailConstants.MAIL_MOVE_TO, quarantine);
    }
}
