package intakebench.bare;

import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutionException;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import jakarta.annotation.PreDestroy;

/**
 * B3's baseline (outside {@code io.intakehub}, so the hub's component scan in the tests never finds it): a bare endpoint on the hub's HTTP stack (Spring MVC on Tomcat, from the hub's own jar)
 * that writes one record of the size of the hub's canonical order to Kafka with the hub's producer
 * settings (acks=all, idempotent), waits for the broker's ack as the hub does, and answers 202 — no key
 * check, mapping, validation, store or journal.
 */
@SpringBootApplication
@RestController
public class BareKafkaEndpointApp {

    private final KafkaProducer<String, byte[]> producer;
    private final byte[] record;
    /** A topic of its own (created on first use, with the broker's 3 partitions like the orders topic): nothing reads it. */
    private final String topic = "intake.bench.bare";

    public BareKafkaEndpointApp(@Value("${bare.kafka}") String brokers, @Value("${bare.record-bytes:1600}") int recordBytes) {
        Properties p = new Properties();
        p.put("bootstrap.servers", brokers);
        p.put("acks", "all");
        p.put("enable.idempotence", "true");
        p.put("linger.ms", "5");
        p.put("max.in.flight.requests.per.connection", "5");
        producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
        record = new byte[recordBytes];
        java.util.Arrays.fill(record, (byte) 'x');
    }

    public static void main(String[] args) {
        SpringApplication.run(BareKafkaEndpointApp.class, args);
    }

    @PostMapping(path = "/api/v1/orders", produces = MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<String> post(@RequestBody byte[] body) throws ExecutionException, InterruptedException {
        String id = UUID.randomUUID().toString();
        producer.send(new ProducerRecord<>(topic, id, record)).get();
        return ResponseEntity.accepted().body("{\"trackingId\":\"" + id + "\",\"status\":\"ACCEPTED\"}");
    }

    @PreDestroy
    void close() {
        producer.close();
    }
}
