package io.intakehub.cluster;

import io.intakehub.config.HubProperties;
import io.intakehub.delivery.DeliveryLedger;
import org.apache.camel.CamelContext;
import org.apache.camel.spring.boot.CamelContextConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The inboxes as cluster namespaces (docs/production.md: Run a cluster). Each inbox route names its policy bean
 * ({@code routePolicy: inboxPhone}, bound in the Camel registry here), so it runs on the one instance holding that inbox's lease. Everything else —
 * web requests, Kafka dispatch (consumer groups), Artemis consumers — runs on every instance.
 */
@Configuration(proxyBeanMethods = false)
public class ClusterConfig {

    /** The namespaces, one lease each; the ops API lists them with their holders. */
    public static final String PHONE = "inbox-phone";
    public static final String EDI = "inbox-edi";
    public static final String EMAIL = "inbox-email";
    public static final String PARTNER_SERVERS = "inbox-partner-servers";

    /** The route-policy names the inbox routes use, and the inbox (lease) each stands for. */
    static final java.util.Map<String, String> POLICIES = java.util.Map.of("inboxPhone", PHONE, "inboxEdi", EDI, "inboxEmail", EMAIL,
            "inboxPartnerServers", PARTNER_SERVERS);

    @Bean
    StoreClusterService hubCluster(JdbcTemplate jdbc, HubProperties props, DeliveryLedger ledger,
            io.micrometer.core.instrument.MeterRegistry registry) {
        String version = ClusterConfig.class.getPackage().getImplementationVersion();
        StoreClusterService service = new StoreClusterService(jdbc, props, version == null ? "dev" : version);
        // an instance that stopped answering: the Kafka writes it left in doubt are resolved before this instance
        // writes again, so re-reading its half-done inputs (an inbox taken over, a web client's retry) sends nothing twice
        service.onPeerGone(previous -> ledger.recheck());
        // hub_inbox_reader{inbox}: 1 on the instance reading it; summed over the cluster, 0 means nobody reads it
        for (String inbox : POLICIES.values()) {
            io.micrometer.core.instrument.Gauge.builder("hub.inbox.reader", service, s -> s.reads(inbox) ? 1 : 0)
                    .description("1 while this instance holds the inbox's lease and reads it").tag("inbox", inbox).register(registry);
        }
        return service;
    }

    /** Adds the cluster service to Camel (started with the context, stopped with it: leases released at shutdown). */
    @Bean
    CamelContextConfiguration hubClusterService(StoreClusterService service) {
        return new CamelContextConfiguration() {
            @Override
            public void beforeApplicationStart(CamelContext camel) {
                try {
                    if (!camel.hasService(service)) {
                        camel.addService(service, true, true);
                    }
                    // Camel's health checks skip a route whose autoStartup flag is off, and the policy turns it off to
                    // manage the route: once the policy has started it on the reader it goes back on (a failing or an
                    // operator-stopped inbox is DOWN there), on a standby it goes off (not reading is no fault there).
                    // Never on before the policy started it: the context would start it itself, outside the policy,
                    // and the policy would not stop it when the lease is lost
                    // and at once when a route of an inbox this instance reads starts (the policy starting it, or an
                    // operator): waiting for the next heartbeat left a window in which an operator's stop went unseen
                    camel.getManagementStrategy().addEventNotifier(new org.apache.camel.support.EventNotifierSupport() {
                        @Override
                        public boolean isEnabled(org.apache.camel.spi.CamelEvent event) {
                            return event instanceof org.apache.camel.spi.CamelEvent.RouteStartedEvent;
                        }

                        @Override
                        public void notify(org.apache.camel.spi.CamelEvent event) {
                            org.apache.camel.Route r = ((org.apache.camel.spi.CamelEvent.RouteStartedEvent) event).getRoute();
                            boolean reader = StoreClusterService.inboxPolicy(r).flatMap(service::namespaceOf)
                                    .filter(service::reads).isPresent();
                            if (reader && !Boolean.TRUE.equals(r.isAutoStartup())) {
                                r.setAutoStartup(true);
                            }
                        }
                    });
                    service.onReading((inbox, reading) -> camel.getRoutes().forEach(r -> {
                        boolean managed = StoreClusterService.inboxPolicy(r).flatMap(service::namespaceOf)
                                .filter(inbox::equals).isPresent();
                        if (!managed) {
                            return;
                        }
                        var status = camel.getRouteController().getRouteStatus(r.getRouteId());
                        if (!reading && Boolean.TRUE.equals(r.isAutoStartup())) {
                            r.setAutoStartup(false);
                        } else if (reading && status != null && status.isStarted() && !Boolean.TRUE.equals(r.isAutoStartup())) {
                            r.setAutoStartup(true);
                        }
                    }));
                    // the policies the inbox routes name (routePolicy: inboxPhone, …), bound before the routes are built
                    POLICIES.forEach((bean, inbox) -> {
                        try {
                            camel.getRegistry().bind(bean, service.policy(inbox));
                        } catch (Exception e) {
                            throw new IllegalStateException("cannot create the route policy of " + inbox, e);
                        }
                    });
                } catch (Exception e) {
                    throw new IllegalStateException("cannot add the cluster service: " + e.getMessage(), e);
                }
            }

            @Override
            public void afterApplicationStart(CamelContext camel) {
                // nothing: the policies start their routes when their lease is held
            }
        };
    }
}
