package io.intakehub.ingest.email;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

import jakarta.mail.MessagingException;
import org.apache.camel.Exchange;
import org.apache.camel.component.mail.MailBinding;
import org.apache.camel.spi.HeaderFilterStrategy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * camel-mail's binding, except that a mail whose summary the IMAP server cannot give (its envelope: a sender or date
 * the server's own parser rejects) still reaches the route. camel-mail builds the exchange's headers from the
 * envelope at the first header look-up, and a failure there failed the exchange before any step ran — the mail was
 * rolled back and read again at every poll. The hub reads the raw bytes itself, and takes no mail header onto the
 * exchange anyway ({@code mailHeadersIn}), so a mail without them is processed like any other.
 */
public class LenientMailBinding extends MailBinding {

    private static final Logger LOG = LoggerFactory.getLogger(LenientMailBinding.class);

    public LenientMailBinding(HeaderFilterStrategy headers) {
        super(headers, null, true, false);
    }

    @Override
    protected Map<String, Object> extractHeadersFromMail(jakarta.mail.Message mail, Exchange exchange) {
        try {
            return super.extractHeadersFromMail(mail, exchange);
        } catch (MessagingException | IOException | RuntimeException e) {
            LOG.warn("The mail server cannot summarise a mail ({}); it is read from its raw bytes", e.getMessage());
            return new HashMap<>();
        }
    }
}
