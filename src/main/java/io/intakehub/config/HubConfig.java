package io.intakehub.config;

import java.nio.file.Files;
import java.nio.file.Path;

import io.intakehub.canonical.CanonicalAssembler;
import io.intakehub.canonical.SchemaValidator;
import io.intakehub.ingest.web.ApiGuardFilter;
import io.intakehub.ingest.web.ApiKeys;
import io.intakehub.mapping.CanonicalMapper;
import io.intakehub.mapping.MappingRegistry;
import jakarta.jms.ConnectionFactory;
import org.apache.camel.CamelContext;
import org.apache.camel.component.jms.JmsComponent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.scheduling.annotation.Scheduled;

/** The hub's beans that are not components themselves: canonical stage, JMS, the web guard. */
@Configuration(proxyBeanMethods = false)
public class HubConfig {

    private static final Logger LOG = LoggerFactory.getLogger(HubConfig.class);

    @Bean
    SchemaValidator schemaValidator() {
        return new SchemaValidator();
    }

    @Bean
    CanonicalAssembler canonicalAssembler(SchemaValidator validator) {
        return new CanonicalAssembler(validator);
    }

    @Bean
    MappingRegistry mappingRegistry(HubProperties props) {
        HubProperties.Mappings m = props.getMappings();
        Path dir = Path.of(m.getWatchDirectory());
        MappingRegistry registry;
        if (m.isReload() && Files.isDirectory(dir)) {
            registry = MappingRegistry.fromDirectory(dir);
            LOG.info("Mappings: {} loaded from {} (edits are picked up while running)", registry.size(), dir.toAbsolutePath());
        } else {
            registry = MappingRegistry.fromLocation(m.getLocation());
            LOG.info("Mappings: {} loaded from {}", registry.size(), m.getLocation());
        }
        return registry;
    }

    @Bean
    MappingReloader mappingReloader(MappingRegistry registry) {
        return new MappingReloader(registry);
    }

    @Bean
    CanonicalMapper canonicalMapper(MappingRegistry registry, CanonicalAssembler assembler) {
        return new CanonicalMapper(registry, assembler);
    }

    /** Camel's {@code jms:} component on Spring's Artemis connection factory; persistent by default. */
    @Bean("jms")
    JmsComponent jms(ConnectionFactory connectionFactory) {
        JmsComponent jms = JmsComponent.jmsComponent(connectionFactory);
        jms.setDeliveryPersistent(true);
        jms.setPreserveMessageQos(true);
        return jms;
    }

    @Bean
    ApiKeys apiKeys(HubProperties props) {
        return new ApiKeys(props.getWeb().getApiKeys());
    }

    @Bean
    FilterRegistrationBean<io.intakehub.ops.OpsGuardFilter> opsGuardFilter(
            @org.springframework.beans.factory.annotation.Value("${hub.ops.users}") String users) {
        FilterRegistrationBean<io.intakehub.ops.OpsGuardFilter> reg =
                new FilterRegistrationBean<>(new io.intakehub.ops.OpsGuardFilter(new io.intakehub.ops.OpsUsers(users)));
        reg.addUrlPatterns("/ops/*", "/actuator", "/actuator/*");
        reg.setOrder(Ordered.HIGHEST_PRECEDENCE + 10);
        return reg;
    }

    /** Per-route exchange counts for the ops API, on every route (JMX or not). */
    @Bean
    io.intakehub.ops.RouteCounters routeCounters(CamelContext camel, io.micrometer.core.instrument.MeterRegistry registry) {
        io.intakehub.ops.RouteCounters counters = new io.intakehub.ops.RouteCounters(registry);
        camel.addRoutePolicyFactory(counters);
        return counters;
    }

    /** What the channel families' transient policies ask (routes/shared/error-handling.camel.yaml). */
    /** The per-input time budget (hub.limits.processing-timeout) of the mail, web and EDI channels. */
    @Bean(name = "inputBudget", destroyMethod = "close")
    io.intakehub.shared.InputBudget inputBudget(@org.springframework.context.annotation.Lazy org.apache.camel.ProducerTemplate template,
            HubProperties props) {
        return new io.intakehub.shared.InputBudget(template, props.getLimits().getProcessingTimeout(), "input-worker");
    }

    @Bean("transientFailures")
    io.intakehub.shared.TransientFailures transientFailures(HubProperties props) {
        return new io.intakehub.shared.TransientFailures(props.getLimits().getRepeatedFailures());
    }

    /** The inputs each channel is working on, for the stall check. */
    @Bean
    io.intakehub.shared.InputsInFlight inputsInFlight() {
        return new io.intakehub.shared.InputsInFlight();
    }

    /** The stop deadline: past hub.limits.shutdown-within the stuck threads are logged and the process halts. */
    @Bean
    io.intakehub.shared.ShutdownDeadline shutdownDeadline(HubProperties props) {
        return new io.intakehub.shared.ShutdownDeadline(props.getLimits().getShutdownWithin());
    }

    /** Health component channelStall: a channel held by one input longer than hub.limits.stall-after is DOWN. */
    @Bean("channelStallHealthIndicator")
    io.intakehub.shared.ChannelStallHealth channelStallHealth(io.intakehub.shared.InputsInFlight inFlight, HubProperties props,
            io.micrometer.core.instrument.MeterRegistry registry) {
        return new io.intakehub.shared.ChannelStallHealth(inFlight, props.getLimits().getStallAfter(), registry);
    }

    /** The per-channel reconciliation counts of the web, email and EDI routes (phone rows count in PhoneIngest). */
    @Bean
    io.intakehub.shared.IntakeOutcomePolicy intakeOutcomePolicy(CamelContext camel, io.intakehub.shared.IntakeMetrics metrics,
            io.intakehub.shared.TransientFailures transientFailures, io.intakehub.shared.InputsInFlight inFlight) {
        io.intakehub.shared.IntakeOutcomePolicy policy = new io.intakehub.shared.IntakeOutcomePolicy(metrics, transientFailures, inFlight);
        camel.addRoutePolicyFactory(policy);
        return policy;
    }

    @Bean
    FilterRegistrationBean<ApiGuardFilter> apiGuardFilter(ApiKeys keys, HubProperties props) {
        FilterRegistrationBean<ApiGuardFilter> reg = new FilterRegistrationBean<>(new ApiGuardFilter(keys, props));
        reg.addUrlPatterns("/api/*");
        reg.setOrder(Ordered.HIGHEST_PRECEDENCE + 10);
        return reg;
    }

    /** Re-reads edited mapping files (only does anything when they come from a folder). */
    static class MappingReloader {
        private final MappingRegistry registry;

        MappingReloader(MappingRegistry registry) {
            this.registry = registry;
        }

        @Scheduled(fixedDelayString = "${hub.mappings.reload-interval:2s}")
        void rescan() {
            registry.rescan();
        }
    }
}
