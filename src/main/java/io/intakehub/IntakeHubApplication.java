package io.intakehub;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.scheduling.annotation.EnableScheduling;

/** Intake Hub: channels in, canonical messages on Kafka, work on Artemis queues, dead letters for the rest. */
@SpringBootApplication
@ConfigurationPropertiesScan
@EnableScheduling
public class IntakeHubApplication {

    public static void main(String[] args) {
        SpringApplication.run(IntakeHubApplication.class, args);
    }
}
