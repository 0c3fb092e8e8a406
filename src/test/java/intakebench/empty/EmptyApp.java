package intakebench.empty;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * B6's baseline (outside {@code io.intakehub}, so the hub's component scan in the tests never finds it): a Spring Boot application with the hub's starters (web, actuator, Artemis, JDBC with
 * Flyway, validation, Camel) and nothing of its own — no routes, no beans, no configuration file. Started
 * from the hub's own jar ({@code PropertiesLauncher}, {@code loader.path} = the test classes), so both
 * sides load the same nested jars the same way.
 */
@SpringBootApplication
public class EmptyApp {

    public static void main(String[] args) {
        SpringApplication.run(EmptyApp.class, args);
    }
}
