package io.intakehub.ops;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.intakehub.config.HubProperties;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.SmartLifecycle;
import org.springframework.jms.core.JmsTemplate;
import org.springframework.stereotype.Component;

/**
 * The brokers' side of the hub's metrics, read in the background (a scrape never waits on a broker): the dispatch
 * consumer group's lag per intake topic ({@code hub_dispatch_consumer_lag{topic}}: records on the topic not yet
 * dispatched), the dead-letter queue's depth ({@code hub_dead_letter_queue_depth}) and the complaints waiting on
 * the desk queue past their reply due time ({@code hub_complaints_overdue}), every
 * {@code hub.ops.metrics-refresh-interval}. A broker that cannot be asked leaves the last value and sets
 * {@code hub_broker_gauges_stale{broker}} to 1.
 */
@Component
public class BrokerGauges implements SmartLifecycle {

    private static final Logger LOG = LoggerFactory.getLogger(BrokerGauges.class);
    /** Counting stops here (the gauge then says "at least"): browsing a huge queue to count it would load the broker. */
    static final int DEPTH_CAP = 100_000;

    private final HubProperties props;
    private final JmsTemplate jms;
    private final Duration interval;
    private final Map<String, AtomicLong> lag = new ConcurrentHashMap<>();
    private final AtomicLong depth = new AtomicLong();
    private final AtomicLong overdue = new AtomicLong();
    private final AtomicLong kafkaStale = new AtomicLong();
    private final AtomicLong artemisStale = new AtomicLong();
    private ScheduledExecutorService timer;
    private Admin admin;

    public BrokerGauges(HubProperties props, JmsTemplate jms, MeterRegistry registry,
            @Value("${hub.ops.metrics-refresh-interval:PT15S}") Duration interval) {
        this.props = props;
        this.jms = jms;
        this.interval = interval;
        HubProperties.Topics t = props.getKafka().getTopics();
        for (String topic : List.of(t.getOrders(), t.getComplaints(), t.getRegistrations())) {
            AtomicLong v = new AtomicLong();
            lag.put(topic, v);
            Gauge.builder("hub.dispatch.consumer.lag", v, AtomicLong::get).description("Records on the topic the dispatch group has not committed")
                    .tag("topic", topic).tag("group", props.getKafka().getDispatchGroup()).register(registry);
        }
        Gauge.builder("hub.dead.letter.queue.depth", depth, AtomicLong::get).description("Messages on the dead-letter queue (counted up to "
                + DEPTH_CAP + ")").tag("queue", props.getQueues().getDeadLetters()).register(registry);
        Gauge.builder("hub.complaints.overdue", overdue, AtomicLong::get).description("Complaints still waiting on the desk queue after "
                + "their reply was due (DOMAIN.md: reply within the working hours of the complaint's severity)")
                .tag("queue", props.getQueues().getComplaints()).tag("due", "reply").register(registry);
        Gauge.builder("hub.broker.gauges.stale", kafkaStale, AtomicLong::get).description("1 when the last reading of the broker failed")
                .tag("broker", "kafka").register(registry);
        Gauge.builder("hub.broker.gauges.stale", artemisStale, AtomicLong::get).description("1 when the last reading of the broker failed")
                .tag("broker", "artemis").register(registry);
    }

    /** Reads both brokers now (also what the timer runs). */
    public void refresh() {
        try {
            refreshLag();
            kafkaStale.set(0);
        } catch (Exception e) {
            kafkaStale.set(1);
            LOG.debug("consumer lag not read: {}", e.getMessage());
        }
        try {
            depth.set(jms.browse(props.getQueues().getDeadLetters(), (session, browser) -> {
                int n = 0;
                for (var e = browser.getEnumeration(); e.hasMoreElements() && n < DEPTH_CAP; e.nextElement()) {
                    n++;
                }
                return n;
            }));
            overdue.set(overdueComplaints(java.time.OffsetDateTime.now()));
            artemisStale.set(0);
        } catch (Exception e) {
            artemisStale.set(1);
            LOG.debug("dead-letter queue depth not read: {}", e.getMessage());
        }
    }

    /** Complaints on the desk queue whose reply due time has passed: nobody has taken them in time. */
    long overdueComplaints(java.time.OffsetDateTime now) {
        return jms.browse(props.getQueues().getComplaints(), (session, browser) -> {
            long n = 0;
            int seen = 0;
            for (var e = browser.getEnumeration(); e.hasMoreElements() && seen++ < DEPTH_CAP;) {
                if (e.nextElement() instanceof jakarta.jms.TextMessage t && t.getText() != null) {
                    try {
                        String due = io.intakehub.canonical.CanonicalJson.mapper().readTree(t.getText()).at("/intake/dueTimes/reply").asText("");
                        if (!due.isEmpty() && java.time.OffsetDateTime.parse(due).isBefore(now)) {
                            n++;
                        }
                    } catch (java.io.IOException | RuntimeException unreadable) {
                        // not a canonical complaint: the desk's business, not a due time
                    }
                }
            }
            return n;
        });
    }

    private void refreshLag() throws Exception {
        if (admin == null) {
            admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, props.getKafka().getBrokers(),
                    AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5000, AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5000));
        }
        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(props.getKafka().getDispatchGroup())
                .partitionsToOffsetAndMetadata().get(5, TimeUnit.SECONDS);
        Map<TopicPartition, OffsetSpec> ask = new HashMap<>();
        admin.describeTopics(lag.keySet()).allTopicNames().get(5, TimeUnit.SECONDS).forEach((topic, d) ->
                d.partitions().forEach(p -> ask.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest())));
        var ends = admin.listOffsets(ask).all().get(5, TimeUnit.SECONDS);
        Map<String, Long> sums = new HashMap<>();
        ends.forEach((tp, end) -> {
            OffsetAndMetadata c = committed.get(tp);
            sums.merge(tp.topic(), Math.max(0, end.offset() - (c == null ? 0 : c.offset())), Long::sum);
        });
        sums.forEach((topic, v) -> lag.get(topic).set(v));
    }

    @Override
    public void start() {
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "broker-gauges");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(this::refresh, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void stop() {
        if (timer != null) {
            timer.shutdownNow();
            timer = null;
        }
        if (admin != null) {
            admin.close(Duration.ofSeconds(2));
            admin = null;
        }
    }

    @Override
    public boolean isRunning() {
        return timer != null;
    }
}
