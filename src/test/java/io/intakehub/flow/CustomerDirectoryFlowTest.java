package io.intakehub.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;

import io.intakehub.customers.CustomerDirectory;
import io.intakehub.support.HubFlowTestSupport;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The customer directory follows the CRM's compacted topic: the embedded default's sample customers
 * arrive at start; a new record, an update and a tombstone take effect; customers are matched by
 * number, phone, e-mail or name in any of their usual spellings; a record that is not a customer is
 * dead-lettered. Real Kafka, H2 and Artemis.
 */
class CustomerDirectoryFlowTest extends HubFlowTestSupport {

    @Autowired
    CustomerDirectory directory;

    void publish(String key, String json) throws Exception {
        produce(props.getKafka().getTopics().getCustomers(), key, json == null ? null : json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void theSampleCustomersAreInTheDirectoryWithTheirClasses() {
        await().atMost(Duration.ofSeconds(30)).until(() -> directory.find("C-30008").isPresent());
        assertThat(directory.classOf(directory.find("C-10023").orElseThrow())).as("12,000 a month").isEqualTo("key-account");
        assertThat(directory.classOf(directory.find("C-30008").orElseThrow())).as("exactly 5,000 is not above").isEqualTo("small-medium");
        assertThat(directory.classOf(directory.find("C-20017").orElseThrow())).as("the CRM's class").isEqualTo("key-account");
        assertThat(directory.match(null, "+86 21 5555 0101", null, null)).get().satisfies(m -> {
            assertThat(m.customer().customerNumber()).isEqualTo("C-10045");
            assertThat(m.by()).isEqualTo("phone");
        });
        assertThat(directory.match(null, null, null, "上海华东文具 有限公司").orElseThrow().customer().customerNumber()).isEqualTo("C-20017");
    }

    @Test
    void aNewCustomerAnUpdateAndARemovalFromTheCrmTakeEffect() throws Exception {
        String number = "C-T" + UUID.randomUUID().toString().substring(0, 6);
        publish(number, "{\"customerNumber\":\"" + number + "\",\"name\":\"Test Bakery " + number + "\",\"phones\":[\"139-1111-" + number.substring(3, 7)
                + "\"],\"emails\":[\"Owner@" + number + ".example\"],\"member\":false,\"monthlyVolume\":800}");
        await().atMost(Duration.ofSeconds(30)).until(() -> directory.find(number).isPresent());
        assertThat(directory.match("", null, "owner@" + number.toLowerCase() + ".example", null).orElseThrow().customer().customerNumber())
                .isEqualTo(number);
        assertThat(directory.match(null, null, null, "test bakery " + number.toLowerCase()).orElseThrow().by()).isEqualTo("name");
        assertThat(directory.classOf(directory.find(number).orElseThrow())).isEqualTo("small-medium");

        publish(number, "{\"customerNumber\":\"" + number + "\",\"name\":\"Test Bakery " + number + "\",\"phones\":[\"0571 1234 5678\"],\"member\":true,"
                + "\"monthlyVolume\":9000}");
        await().atMost(Duration.ofSeconds(30)).until(() -> directory.find(number).orElseThrow().phones().contains("0571 1234 5678"));
        assertThat(directory.find(number).orElseThrow().emails()).as("contacts replaced").isEmpty();
        assertThat(directory.classOf(directory.find(number).orElseThrow())).isEqualTo("key-account");

        publish(number, null);
        await().atMost(Duration.ofSeconds(30)).until(() -> directory.find(number).isEmpty());
    }

    @Test
    void aRecordThatIsNotACustomerIsDeadLetteredAndTheNextOneIsTaken() throws Exception {
        String bad = "C-BAD" + UUID.randomUUID().toString().substring(0, 6);
        String good = "C-OK" + UUID.randomUUID().toString().substring(0, 6);
        publish(bad, "{not json");
        publish(good, "{\"customerNumber\":\"" + good + "\",\"name\":\"After The Poison\"}");
        await().atMost(Duration.ofSeconds(30)).until(() -> directory.find(good).isPresent());
        await().atMost(Duration.ofSeconds(30)).until(() -> Boolean.TRUE.equals(jms.browseSelected(props.getQueues().getDeadLetters(),
                "HubReasonCode = 'POISON_RECORD' AND HubChannel = 'crm'", (s, b) -> {
                    var e = b.getEnumeration();
                    while (e.hasMoreElements()) {
                        jakarta.jms.Message m = (jakarta.jms.Message) e.nextElement();
                        if (m.getStringProperty("HubExceptionMessage").contains("not a customer")
                                && m.getStringProperty("HubOriginalTopic").equals(props.getKafka().getTopics().getCustomers())) {
                            return true;
                        }
                    }
                    return false;
                })));
        assertThat(directory.find(bad)).isEmpty();
    }

    @Test
    void aRecordTheStoreRefusesLosesNoOtherRecordOfItsPoll() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 6);
        String before = "C-B" + run;
        String refused = "C-R" + run;
        String after = "C-A" + run;
        publish(before, "{\"customerNumber\":\"" + before + "\",\"name\":\"Before " + run + "\"}");
        // valid JSON the store cannot hold (credit terms are a short code): refused by the database, not the reader
        publish(refused, "{\"customerNumber\":\"" + refused + "\",\"name\":\"Refused\",\"creditTerms\":\"" + "x".repeat(500) + "\"}");
        publish(after, "{\"customerNumber\":\"" + after + "\",\"name\":\"After " + run + "\"}");
        await().atMost(Duration.ofSeconds(30)).until(() -> directory.find(after).isPresent());
        assertThat(directory.find(before)).as("the record before the refused one").isPresent();
        assertThat(directory.find(refused)).isEmpty();
        await().atMost(Duration.ofSeconds(30)).until(() -> Boolean.TRUE.equals(jms.browseSelected(props.getQueues().getDeadLetters(),
                "HubReasonCode = 'POISON_RECORD' AND HubChannel = 'crm'", (s, b) -> {
                    var e = b.getEnumeration();
                    while (e.hasMoreElements()) {
                        jakarta.jms.Message m = (jakarta.jms.Message) e.nextElement();
                        if (new String(m.getBody(byte[].class), StandardCharsets.UTF_8).contains(refused)) {
                            return true;
                        }
                    }
                    return false;
                })));
    }
}
