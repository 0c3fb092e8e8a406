package io.intakehub.shared;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.DuplicateKeyException;

/** Which failures leave an input to be read again, and when a repeating one stops being the infrastructure's. */
class TransientFailuresTest {

    final CamelContext camel = new DefaultCamelContext();

    Exchange failing(String file, Throwable t) {
        Exchange e = new DefaultExchange(camel);
        e.getMessage().setHeader(Exchange.FILE_PATH, "/data/phone/in/" + file);
        e.getMessage().setHeader(Exchange.FILE_LENGTH, 100L);
        e.getMessage().setHeader(Exchange.FILE_LAST_MODIFIED, 1L);
        e.getMessage().setHeader(io.intakehub.config.HubHeaders.CHANNEL, "phone");
        e.setException(t);
        return e;
    }

    @Test
    void aValueTheStoreRefusesIsNotTransientButTheStoreAwayIs() {
        TransientFailures f = new TransientFailures(3);
        assertThat(f.test(failing("a.csv", new DataIntegrityViolationException("value too long for type character varying(128)")))).isFalse();
        assertThat(f.test(failing("b.csv", new DataAccessResourceFailureException("connection refused")))).isTrue();
        assertThat(f.test(failing("c.csv", new DuplicateKeyException("taken by another instance")))).isTrue();
        assertThat(f.test(failing("d.csv", new RuntimeException(new jakarta.mail.internet.AddressException("a..b@x"))))).isFalse();
    }

    @Test
    void theSameInputFailingAloneWhileOthersAreTakenBecomesPermanentAfterTheConfiguredAttempts() {
        TransientFailures f = new TransientFailures(3);
        RuntimeException down = new DataAccessResourceFailureException("connection reset");
        // the whole channel failing (nothing taken meanwhile): the store is away, the input waits however often
        for (int i = 0; i < 5; i++) {
            assertThat(f.test(failing("poison.csv", down))).isTrue();
        }
        // others are taken between its failures, this one keeps failing the same way: its third such failure is permanent
        f.succeeded("phone");
        assertThat(f.test(failing("poison.csv", down))).isTrue();
        f.succeeded("phone");
        Exchange third = failing("poison.csv", down);
        assertThat(f.test(third)).isFalse();
        assertThat(third.getProperty(TransientFailures.REPEATED, String.class)).contains("failed", "times", "connection reset");
        // a changed file is another input: it starts again
        Exchange changed = failing("poison.csv", down);
        changed.getMessage().setHeader(Exchange.FILE_LAST_MODIFIED, 2L);
        assertThat(f.test(changed)).isTrue();
        // one failure asked about twice (Camel asks once per exception of the chain) is counted once
        TransientFailures once = new TransientFailures(2);
        Exchange asked = failing("twice.csv", down);
        assertThat(once.test(asked)).isTrue();
        once.succeeded("phone");
        assertThat(once.test(asked)).isTrue();
    }
}
