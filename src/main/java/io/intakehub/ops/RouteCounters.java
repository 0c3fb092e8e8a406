package io.intakehub.ops;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

import io.intakehub.cluster.StoreClusterService;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.NamedNode;
import org.apache.camel.Route;
import org.apache.camel.spi.RoutePolicy;
import org.apache.camel.spi.RoutePolicyFactory;
import org.apache.camel.support.RoutePolicySupport;

/**
 * Exchanges per route — taken, failed, time spent — counted by a route policy on every route, so the ops API
 * has them whether or not JMX management is on (Camel's test support turns it off). In flight comes from
 * Camel's inflight repository. The same numbers, and whether the route is started, are Prometheus meters.
 */
public class RouteCounters implements RoutePolicyFactory {

    /** One route's counts. */
    public static final class Counts {
        final LongAdder total = new LongAdder();
        final LongAdder failed = new LongAdder();
        final LongAdder nanos = new LongAdder();

        public long total() {
            return total.sum();
        }

        public long failed() {
            return failed.sum();
        }

        /** Mean time an exchange spent in the route, in milliseconds (0 before the first). */
        public double meanMillis() {
            long n = total.sum();
            return n == 0 ? 0 : nanos.sum() / 1_000_000.0 / n;
        }
    }

    private static final String STARTED = "io.intakehub.ops.started.";

    private final Map<String, Counts> counts = new ConcurrentHashMap<>();
    private final MeterRegistry registry;

    public RouteCounters(MeterRegistry registry) {
        this.registry = registry;
    }

    public Counts of(String routeId) {
        return counts.computeIfAbsent(routeId, id -> new Counts());
    }

    @Override
    public RoutePolicy createRoutePolicy(CamelContext camelContext, String routeId, NamedNode route) {
        Counts c = of(routeId);
        // the same counts as Prometheus meters: hub_route_exchanges_total{route,result}, hub_route_processing_seconds
        // (count and sum, so rate(sum)/rate(count) is the mean time) and hub_route_in_flight{route}
        FunctionCounter.builder("hub.route.exchanges", c, Counts::total).description("Exchanges a route completed, failed or not")
                .tag("route", routeId).tag("result", "all").register(registry);
        FunctionCounter.builder("hub.route.exchanges", c, Counts::failed).description("Exchanges a route completed, failed or not")
                .tag("route", routeId).tag("result", "failed").register(registry);
        FunctionTimer.builder("hub.route.processing", c, Counts::total, x -> x.nanos.sum(), TimeUnit.NANOSECONDS)
                .description("Time exchanges spent in the route").tag("route", routeId).register(registry);
        Gauge.builder("hub.route.in.flight", camelContext, ctx -> ctx.getInflightRepository().size(routeId))
                .description("Exchanges in the route now").tag("route", routeId).register(registry);
        Gauge.builder("hub.route.up", camelContext, ctx -> {
            var status = ctx.getRouteController().getRouteStatus(routeId);
            if (status != null && status.isStarted()) {
                return 1;
            }
            // an inbox route waiting on standby (another instance of the cluster reads the inbox) is not down
            Route r = ctx.getRoute(routeId);
            boolean standby = r != null && StoreClusterService.inboxPolicy(r).filter(inbox -> !inbox.isLeader()).isPresent();
            return standby && !Boolean.TRUE.equals(r.isAutoStartup()) ? 1 : 0;
        }).description("1 while the route is started or, for an inbox another instance reads, on standby (0 when stopped or suspended)")
                .tag("route", routeId).register(registry);
        return new RoutePolicySupport() {
            @Override
            public void onExchangeBegin(Route r, Exchange exchange) {
                exchange.setProperty(STARTED + routeId, System.nanoTime());
            }

            @Override
            public void onExchangeDone(Route r, Exchange exchange) {
                Long began = exchange.getProperty(STARTED + routeId, Long.class);
                exchange.removeProperty(STARTED + routeId);
                c.total.increment();
                if (began != null) {
                    c.nanos.add(System.nanoTime() - began);
                }
                if (exchange.isFailed()) {
                    c.failed.increment();
                }
            }
        };
    }
}
