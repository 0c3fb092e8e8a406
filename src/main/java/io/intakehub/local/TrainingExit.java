package io.intakehub.local;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.event.EventListener;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * The image's class-data-sharing training start ({@code Dockerfile}; docs/production.md: start-up): with
 * {@code hub.exit-when-ready=true} the hub stops as soon as it is ready — every route, consumer and producer started,
 * so their classes are loaded — and the JVM ends with 0, writing the archive {@code -XX:ArchiveClassesAtExit} asked
 * for. Spring's own {@code spring.context.exit=onRefresh} ends before anything starts, leaving Camel's routes, the
 * Kafka clients and Tomcat's connector out of the archive (B6 measured no difference in start-up between the two;
 * this one is the more complete: BENCHMARKS.md, B6). Off unless set.
 */
@Component
@ConditionalOnProperty(name = "hub.exit-when-ready", havingValue = "true")
public class TrainingExit {

    private static final Logger LOG = LoggerFactory.getLogger(TrainingExit.class);

    @EventListener(ApplicationReadyEvent.class)
    @Order(Ordered.LOWEST_PRECEDENCE) // after the ready line and anything else that runs on ready
    public void exit(ApplicationReadyEvent event) {
        ConfigurableApplicationContext context = event.getApplicationContext();
        LOG.info("hub.exit-when-ready: ready, stopping (a training start)");
        // not on the main thread, which is still inside SpringApplication.run
        Thread stop = new Thread(() -> System.exit(SpringApplication.exit(context)), "training-exit");
        stop.start();
    }
}
