package io.intakehub.ops;

import org.springframework.boot.actuate.availability.ReadinessStateHealthIndicator;
import org.springframework.boot.availability.ApplicationAvailability;
import org.springframework.stereotype.Component;

/**
 * Health component {@code applicationReady}: Spring's own readiness state (started, accepting traffic) for the
 * readiness group. Camel's replacement of {@code readinessState} also fails when any route is stopped — but an
 * operator pausing one partner's inbox must not take the whole instance out of the load balancer; stopped routes
 * show in {@code camelHealth} and in {@code hub_route_up} instead.
 */
@Component("applicationReadyHealthIndicator")
public class ApplicationReadyHealth extends ReadinessStateHealthIndicator {

    public ApplicationReadyHealth(ApplicationAvailability availability) {
        super(availability);
    }
}
