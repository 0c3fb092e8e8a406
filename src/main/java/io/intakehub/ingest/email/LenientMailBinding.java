package io.intakehub.ingest.email;

import java.util.HashMap;
import java.util.Map;

import org.apache.camel.Exchange;
import org.apache.camel.component.mail.MailBinding;
import org.apache.camel.spi.HeaderFilterStrategy;

/**
 * camel-mail's binding without the mail's summary: camel-mail builds the exchange's headers from the IMAP envelope at
 * the first header look-up, and a server that cannot build the envelope of a mail it stores (a sender or date its own
 * parser rejects, raw UTF-8 in header fields) fails the exchange before any step runs — or, on some servers, stops
 * answering and drops the session, so that the mail can neither be read nor moved and is met again at every poll,
 * ahead of every mail behind it. The hub reads the raw bytes itself and takes no mail header onto the exchange
 * ({@code mailHeadersIn}), so it asks the server for none.
 */
public class LenientMailBinding extends MailBinding {

    public LenientMailBinding(HeaderFilterStrategy headers) {
        super(headers, null, true, false);
    }

    @Override
    protected Map<String, Object> extractHeadersFromMail(jakarta.mail.Message mail, Exchange exchange) {
        return new HashMap<>();
    }
}
