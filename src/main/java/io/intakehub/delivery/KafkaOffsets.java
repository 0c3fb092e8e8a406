package io.intakehub.delivery;

import org.apache.camel.Exchange;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.component.kafka.consumer.KafkaManualCommit;
import org.apache.kafka.common.KafkaException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Commits a consumed record's offset once its work is done (sent to its queue, or dead-lettered).
 * A failed commit is logged, not raised: the record will be read again and the downstream duplicate
 * check (Artemis duplicate detection on the message id) absorbs the second send.
 */
@Component("kafkaOffsets")
public class KafkaOffsets {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaOffsets.class);

    public void commit(Exchange exchange) {
        KafkaManualCommit manual = exchange.getMessage().getHeader(KafkaConstants.MANUAL_COMMIT, KafkaManualCommit.class);
        if (manual == null) {
            return;
        }
        try {
            manual.commit();
        } catch (KafkaException e) {
            LOG.warn("Offset commit failed; the record will be read again and de-duplicated downstream: {}", e.getMessage());
        }
    }
}
