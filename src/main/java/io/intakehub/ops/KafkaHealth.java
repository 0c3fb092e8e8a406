package io.intakehub.ops;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.intakehub.config.HubProperties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * Health component {@code kafka}: the cluster answers (its id and broker count). Part of readiness with the store
 * ({@code db}) and Artemis ({@code jms}): without Kafka nothing can be accepted, without the store nothing can be
 * de-duplicated, so an instance missing either takes no traffic rather than accepting without its guarantees.
 */
@Component("kafka")
public class KafkaHealth implements HealthIndicator, DisposableBean {

    private final HubProperties props;
    private volatile Admin admin;

    public KafkaHealth(HubProperties props) {
        this.props = props;
    }

    @Override
    public Health health() {
        // the embedded default's in-process Kafka had a fatal fault (it would have halted the process; see EmbeddedKafka)
        if (io.intakehub.local.EmbeddedServers.kafka() != null) {
            var fatal = io.intakehub.local.EmbeddedKafka.fatalFault();
            if (fatal.isPresent()) {
                return Health.down().withDetail("brokers", props.getKafka().getBrokers()).withDetail("error", fatal.get()).build();
            }
        }
        try {
            var cluster = admin().describeCluster();
            String id = cluster.clusterId().get(3, TimeUnit.SECONDS);
            int brokers = cluster.nodes().get(3, TimeUnit.SECONDS).size();
            return Health.up().withDetail("clusterId", id).withDetail("brokers", brokers).build();
        } catch (Exception e) {
            return Health.down().withDetail("brokers", props.getKafka().getBrokers())
                    .withDetail("error", e.getCause() != null ? e.getCause().toString() : e.toString()).build();
        }
    }

    private Admin admin() {
        Admin a = admin;
        if (a == null) {
            synchronized (this) {
                if (admin == null) {
                    admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, props.getKafka().getBrokers(),
                            AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 3000, AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 3000,
                            AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 2000));
                }
                a = admin;
            }
        }
        return a;
    }

    @Override
    public void destroy() {
        if (admin != null) {
            admin.close(Duration.ofSeconds(2));
        }
    }
}
