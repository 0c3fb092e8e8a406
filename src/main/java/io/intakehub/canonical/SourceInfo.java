package io.intakehub.canonical;

import java.time.OffsetDateTime;

/**
 * What a channel knows about one input before mapping: it becomes the envelope's {@code source}
 * and decides the message id.
 *
 * @param part which canonical message of the input this is (0 for the first or only one)
 */
public record SourceInfo(String channel, String format, String partner, String reference,
        OffsetDateTime receivedAt, String fileName, Integer line, int part, String correlationId) {

    public String messageId() {
        return MessageIds.of(channel, partner, reference, part);
    }
}
