package io.intakehub.shared;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.springframework.context.support.GenericApplicationContext;

/**
 * The stop deadline belongs to the process's stop: a context closed inside a JVM that goes on (as a benchmark closes
 * the hub it started) takes its hook away and arms nothing, so this JVM is still here past the deadline.
 */
class ShutdownDeadlineTest {

    @Test
    void aContextClosedInsideARunningJvmRemovesItsHookAndArmsNoDeadline() throws Exception {
        ShutdownDeadline deadline = new ShutdownDeadline(Duration.ofMillis(100));
        GenericApplicationContext context = new GenericApplicationContext();
        context.addApplicationListener(deadline);
        context.refresh();
        context.close();
        // removed already: a second removal finds nothing
        assertThat(Runtime.getRuntime().removeShutdownHook(deadline.hook)).isFalse();
        Thread.sleep(400);
        assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().equals("shutdown-deadline"));
    }

    @Test
    void noDeadlineRegistersNoHook() {
        ShutdownDeadline off = new ShutdownDeadline(Duration.ZERO);
        assertThat(Runtime.getRuntime().removeShutdownHook(off.hook)).isFalse();
    }
}
