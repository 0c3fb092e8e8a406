package io.intakehub.ingest.web;

import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import io.intakehub.canonical.CanonicalJson;
import io.intakehub.config.HubHeaders;
import io.intakehub.shared.HubException;
import io.intakehub.shared.ReasonCode;
import org.apache.camel.Exchange;
import org.springframework.stereotype.Component;

/**
 * Step {@code parse-web-body} of route {@code ingest-web}: the raw request bytes (kept as the
 * exchange's original message for dead letters) become the neutral JSON tree mappings read.
 */
@Component("webBodyParser")
public class WebBodyParser {

    public static final String FORMAT_JSON = "json";
    public static final String FORMAT_FORM = "form-urlencoded";

    private final FormDecoder.Limits formLimits;

    public WebBodyParser(io.intakehub.config.HubProperties props) {
        io.intakehub.config.HubProperties.Limits l = props.getLimits();
        this.formLimits = new FormDecoder.Limits(l.getFormMaxFields(), l.getFormMaxIndex(), l.getFormMaxListItems());
    }

    public void parse(Exchange exchange) {
        byte[] raw = exchange.getMessage().getBody(byte[].class);
        String format = exchange.getMessage().getHeader(HubHeaders.FORMAT, String.class);
        Charset charset = charsetOf(exchange.getMessage().getHeader(Exchange.CHARSET_NAME, String.class));
        String text = decodeStrict(raw, charset);
        JsonNode tree;
        if (FORMAT_FORM.equals(format)) {
            tree = FormDecoder.decode(text, charset, formLimits);
        } else {
            try {
                tree = CanonicalJson.readTree(text);
            } catch (JacksonException e) {
                String where = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr()
                        + ", column " + e.getLocation().getColumnNr();
                throw new HubException(ReasonCode.MALFORMED_INPUT, "the body is not valid JSON" + where + ": "
                        + e.getOriginalMessage(), e);
            }
            if (tree == null || !tree.isObject()) {
                throw new HubException(ReasonCode.MALFORMED_INPUT, "the body must be a JSON object");
            }
        }
        exchange.getMessage().setBody(tree);
    }

    static Charset charsetOf(String name) {
        if (name == null || name.isBlank()) {
            return StandardCharsets.UTF_8;
        }
        try {
            return Charset.forName(name.trim());
        } catch (IllegalArgumentException e) {
            throw new HubException(ReasonCode.UNSUPPORTED_MEDIA_TYPE, "unknown charset '" + name + "'");
        }
    }

    /** Decodes or refuses: bytes that are not valid in the charset are never silently replaced. */
    static String decodeStrict(byte[] raw, Charset charset) {
        CharsetDecoder decoder = charset.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        try {
            return decoder.decode(ByteBuffer.wrap(raw)).toString();
        } catch (CharacterCodingException e) {
            throw new HubException(ReasonCode.MALFORMED_INPUT, "the body is not valid " + charset.name()
                    + " text (declare the charset in Content-Type)", e);
        }
    }
}
