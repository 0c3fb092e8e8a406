package io.intakehub.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.apache.kafka.common.utils.Exit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A fatal fault of the in-process Kafka (its call to {@code Exit.halt} or {@code Exit.exit}) must not end the JVM it
 * shares with the hub or a test: it is refused with the reason, which {@link EmbeddedKafka#fatalFault()} then reports
 * (and health and the fault harness with it). Were the refusal missing, this test's JVM would end here.
 */
class EmbeddedKafkaExitTest {

    @AfterEach
    void forget() {
        EmbeddedKafka.forgetFatalFault();
    }

    @Test
    void aHaltFromKafkaIsRefusedWithItsReasonAndRemembered() {
        assertThat(EmbeddedKafka.fatalFault()).isEmpty();

        assertThatThrownBy(() -> Exit.halt(1, "Shutdown broker because all log dirs in /x have failed"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("asked to halt the JVM with status 1 (Shutdown broker because all log dirs in /x have failed)")
                .hasMessageContaining("in thread " + Thread.currentThread().getName());
        assertThat(EmbeddedKafka.fatalFault()).get(org.assertj.core.api.InstanceOfAssertFactories.STRING)
                .contains("halt the JVM with status 1").contains("all log dirs");

        // the first reason is kept: a second fault is usually a consequence of the first
        assertThatThrownBy(() -> Exit.exit(3)).isInstanceOf(IllegalStateException.class).hasMessageContaining("asked to exit the JVM with status 3");
        assertThat(EmbeddedKafka.fatalFault()).get(org.assertj.core.api.InstanceOfAssertFactories.STRING).contains("log dirs");
    }
}
