package io.intakehub.customers;

import java.io.IOException;
import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import io.intakehub.canonical.CanonicalJson;
import io.intakehub.config.HubHeaders;
import io.intakehub.rules.RulesProperties;
import io.intakehub.shared.DeadLetters;
import io.intakehub.shared.HubException;
import io.intakehub.shared.ReasonCode;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.kafka.KafkaConstants;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Lazy;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The customer directory in the store (DOMAIN.md §2, §4): filled from the CRM's compacted topic
 * {@code intake.customers.v1} by route {@code ingest-customers}, and asked by number, phone, e-mail or
 * name (normalised, {@link ContactKeys}). The customer class is the CRM's when it gives one, else
 * derived at every lookup from the monthly volume and {@code hub.rules.customer.key-account-monthly-volume},
 * so a changed threshold applies without reloading anything.
 */
@Component("customerDirectory")
public class CustomerDirectory {

    private static final Logger LOG = LoggerFactory.getLogger(CustomerDirectory.class);

    /** What a lookup found: the customer and how it was recognised. */
    public record Match(Customer customer, String by) {}

    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final RulesProperties rules;
    private final ProducerTemplate template;

    /**
     * Recent lookups, so that a million-row export of a few thousand customers does not ask the store a million
     * times. Any change this instance makes to the directory starts a new generation (older entries are not
     * used); changes made by another instance are seen after {@code hub.customers.cache-ttl}.
     */
    private final java.util.concurrent.ConcurrentHashMap<String, Cached> cache = new java.util.concurrent.ConcurrentHashMap<>();
    private final java.util.concurrent.atomic.AtomicLong generation = new java.util.concurrent.atomic.AtomicLong();
    private final long ttlNanos;
    private static final int CACHE_MAX = 100_000;

    private record Cached(Optional<Match> match, long generation, long at) {}

    public CustomerDirectory(JdbcTemplate jdbc, TransactionTemplate tx, RulesProperties rules, @Lazy ProducerTemplate template,
            @org.springframework.beans.factory.annotation.Value("${hub.customers.cache-ttl:PT30S}") java.time.Duration cacheTtl) {
        this.jdbc = jdbc;
        this.tx = tx;
        this.rules = rules;
        this.template = template;
        this.ttlNanos = cacheTtl.toNanos();
    }

    /**
     * Step {@code apply-customer-records} of {@code ingest-customers}: a poll's records in one
     * transaction, in offset order (a later record of a customer wins; a null value removes it). A
     * record that is not a customer is skipped and dead-lettered ({@code POISON_RECORD}) with its bytes.
     */
    public void apply(List<Exchange> batch) throws Exception {
        List<Exchange> poison = new ArrayList<>();
        tx.executeWithoutResult(status -> {
            for (Exchange e : batch) {
                String key = e.getMessage().getHeader(KafkaConstants.KEY, String.class);
                byte[] value = e.getMessage().getBody(byte[].class);
                // one record's failure never undoes another's: PostgreSQL aborts the whole transaction on a failed
                // statement unless it is rolled back to a savepoint taken before it
                Object savepoint = status.createSavepoint();
                try {
                    if (value == null || value.length == 0) {
                        if (key != null) {
                            remove(key);
                        }
                    } else {
                        Customer c = CanonicalJson.mapper().readValue(value, Customer.class);
                        if (c.customerNumber() == null || c.customerNumber().isBlank() || (key != null && !key.equals(c.customerNumber()))) {
                            throw new IOException("the record's customerNumber '" + c.customerNumber() + "' is missing or is not its key '" + key + "'");
                        }
                        supersedePending(c);
                        upsert(c, "crm", "ACTIVE");
                    }
                    status.releaseSavepoint(savepoint);
                } catch (IOException | RuntimeException bad) {
                    status.rollbackToSavepoint(savepoint);
                    if (io.intakehub.shared.TransientFailures.isInfrastructure(bad)) {
                        throw bad instanceof RuntimeException r ? r : new java.io.UncheckedIOException((IOException) bad);
                    }
                    e.setProperty(Exchange.EXCEPTION_CAUGHT, bad);
                    poison.add(e);
                }
            }
        });
        for (Exchange bad : poison) {
            Exchange dl = bad.copy();
            Throwable why = bad.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
            dl.getMessage().setHeader(HubHeaders.CHANNEL, "crm");
            DeadLetters.send(template, dl, new HubException(ReasonCode.POISON_RECORD,
                    "a record on the customers topic is not a customer: " + why.getMessage(), why), "ingest-customers");
        }
        generation.incrementAndGet();
        if (!poison.isEmpty()) {
            LOG.warn("{} record(s) on the customers topic are not customers; dead-lettered", poison.size());
        }
    }

    /** Writes a customer and its contacts (replacing what was there). */
    public void upsert(Customer c, String source, String status) {
        generation.incrementAndGet();
        Timestamp now = Timestamp.from(Instant.now());
        int updated = jdbc.update("""
                update customer set name = ?, name_key = ?, contact_person = ?, address = ?, region = ?, delivery_route = ?,
                    member = ?, customer_class = ?, monthly_volume = ?, credit_terms = ?, status = ?, source = ?, updated_at = ?
                where customer_number = ?""",
                c.name(), ContactKeys.name(c.name()), c.contactPerson(), c.address(), c.region(), c.deliveryRoute(),
                Boolean.TRUE.equals(c.member()), c.customerClass(), c.monthlyVolume(), c.creditTerms(), status, source, now,
                c.customerNumber());
        if (updated == 0) {
            jdbc.update("""
                    insert into customer (customer_number, name, name_key, contact_person, address, region, delivery_route,
                        member, customer_class, monthly_volume, credit_terms, status, source, updated_at)
                    values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                    c.customerNumber(), c.name(), ContactKeys.name(c.name()), c.contactPerson(), c.address(), c.region(),
                    c.deliveryRoute(), Boolean.TRUE.equals(c.member()), c.customerClass(), c.monthlyVolume(), c.creditTerms(),
                    status, source, now);
        }
        jdbc.update("delete from customer_contact where customer_number = ?", c.customerNumber());
        Set<String> seen = new LinkedHashSet<>();
        for (String p : c.phonesOrEmpty()) {
            contact(c.customerNumber(), "phone", ContactKeys.phone(p), p, seen);
        }
        for (String m : c.emailsOrEmpty()) {
            contact(c.customerNumber(), "email", ContactKeys.email(m), m, seen);
        }
    }

    private void contact(String number, String kind, String key, String text, Set<String> seen) {
        if (key != null && seen.add(kind + ":" + key)) {
            jdbc.update("insert into customer_contact (customer_number, kind, value_key, value_text) values (?, ?, ?, ?)",
                    number, kind, key, text.strip());
        }
    }

    /** Removes a customer (the CRM's tombstone). */
    public void remove(String customerNumber) {
        generation.incrementAndGet();
        jdbc.update("delete from customer_contact where customer_number = ?", customerNumber);
        jdbc.update("delete from customer where customer_number = ?", customerNumber);
    }

    public Optional<Customer> find(String customerNumber) {
        if (customerNumber == null || customerNumber.isBlank()) {
            return Optional.empty();
        }
        List<Customer> found = jdbc.query("""
                select customer_number, name, contact_person, address, region, delivery_route, member, customer_class,
                       monthly_volume, credit_terms, status
                from customer where customer_number = ?""", (rs, n) -> new Customer(rs.getString(1), rs.getString(2),
                rs.getString(3), contacts(rs.getString(1), "phone"), contacts(rs.getString(1), "email"), rs.getString(4),
                rs.getString(5), rs.getString(6), rs.getBoolean(7), rs.getString(8), rs.getBigDecimal(9), rs.getString(10),
                rs.getString(11)), customerNumber.strip());
        return found.stream().findFirst();
    }

    private List<String> contacts(String number, String kind) {
        return jdbc.queryForList("select value_text from customer_contact where customer_number = ? and kind = ? order by value_text",
                String.class, number, kind);
    }

    /**
     * The customer an input names: by customer number, else by phone, else by e-mail, else by name
     * (each normalised). A phone, e-mail or name shared by several customers matches none of them —
     * the hub does not guess.
     */
    public Optional<Match> match(String customerNumber, String phone, String email, String name) {
        if (customerNumber != null && !customerNumber.isBlank()) {
            Optional<Match> byNumber = cached("number\u001f" + customerNumber.strip(),
                    () -> find(customerNumber).map(c -> new Match(c, "number")));
            if (byNumber.isPresent()) {
                return byNumber;
            }
        }
        return cached(ContactKeys.phone(phone) + "\u001f" + ContactKeys.email(email) + "\u001f" + ContactKeys.name(name),
                () -> lookup(phone, email, name));
    }

    private Optional<Match> cached(String key, java.util.function.Supplier<Optional<Match>> lookup) {
        long now = System.nanoTime();
        long gen = generation.get();
        Cached hit = cache.get(key);
        if (hit != null && hit.generation() == gen && now - hit.at() < ttlNanos) {
            return hit.match();
        }
        Optional<Match> found = lookup.get();
        if (cache.size() >= CACHE_MAX) {
            cache.clear();
        }
        cache.put(key, new Cached(found, gen, now));
        return found;
    }

    private Optional<Match> lookup(String phone, String email, String name) {
        for (String[] attempt : new String[][] {{"phone", ContactKeys.phone(phone)}, {"email", ContactKeys.email(email)}}) {
            if (attempt[1] != null) {
                List<String> numbers = jdbc.queryForList("select distinct customer_number from customer_contact where kind = ? and value_key = ?",
                        String.class, attempt[0], attempt[1]);
                if (numbers.size() == 1) {
                    return find(numbers.get(0)).map(c -> new Match(c, attempt[0]));
                }
            }
        }
        String nameKey = ContactKeys.name(name);
        if (nameKey != null) {
            List<String> numbers = jdbc.queryForList("select customer_number from customer where name_key = ?", String.class, nameKey);
            if (numbers.size() == 1) {
                return find(numbers.get(0)).map(c -> new Match(c, "name"));
            }
        }
        return Optional.empty();
    }

    /**
     * The customer's class (002 §5.6.2): the CRM's when it gave one, else {@code key-account} when the
     * monthly volume is above {@code hub.rules.customer.key-account-monthly-volume}, else
     * {@code small-medium}.
     */
    public String classOf(Customer c) {
        if (c.customerClass() != null && !c.customerClass().isBlank()) {
            return c.customerClass();
        }
        BigDecimal threshold = rules.customer().keyAccountMonthlyVolume();
        return c.monthlyVolume() != null && c.monthlyVolume().compareTo(threshold) > 0 ? "key-account" : "small-medium";
    }

    /** The claim that made a customer the hub registered: its registration and the message that revealed it. */
    public record Claim(String key, String customerNumber, String registrationId, String sourceMessageId, boolean won) {}

    /**
     * Registers a customer the directory does not know (002 §6.3), once: the customer is claimed by its
     * strongest contact key in {@code customer_claim} (unique), then kept as a PENDING customer so that the
     * next message from the same phone, e-mail or name matches it. When another message claimed the same key
     * first (a concurrent thread or instance), that claim is returned with {@code won = false}.
     *
     * @param pending the new customer; its number is the provisional one
     */
    public Claim register(String claimKey, Customer pending, String registrationId, String sourceMessageId) {
        Claim won = tx.execute(status -> {
            try {
                jdbc.update("insert into customer_claim (claim_key, customer_number, message_id, source_message_id, created_at) values (?, ?, ?, ?, ?)",
                        claimKey, pending.customerNumber(), registrationId, sourceMessageId, Timestamp.from(Instant.now()));
            } catch (org.springframework.dao.DuplicateKeyException taken) {
                status.setRollbackOnly();
                return null;
            }
            upsert(pending, "hub", "PENDING");
            return new Claim(claimKey, pending.customerNumber(), registrationId, sourceMessageId, true);
        });
        generation.incrementAndGet(); // committed: lookups cached meanwhile are not used
        return won != null ? won : claim(claimKey).orElseThrow(() -> new IllegalStateException("claim " + claimKey + " vanished"));
    }

    /** The claim under a key. */
    public Optional<Claim> claim(String claimKey) {
        return jdbc.query("select claim_key, customer_number, message_id, source_message_id from customer_claim where claim_key = ?",
                (rs, n) -> new Claim(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), false), claimKey).stream().findFirst();
    }

    /** The claim that registered a (pending) customer. */
    public Optional<Claim> claimOf(String customerNumber) {
        return jdbc.query("select claim_key, customer_number, message_id, source_message_id from customer_claim where customer_number = ?",
                (rs, n) -> new Claim(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), false), customerNumber)
                .stream().findFirst();
    }

    /**
     * The CRM's record of a customer the hub registered replaces the pending one: pending customers sharing
     * a phone or e-mail with it are removed with their claims (else both would match and neither be chosen).
     */
    private void supersedePending(Customer c) {
        List<String> keys = new ArrayList<>();
        c.phonesOrEmpty().stream().map(ContactKeys::phone).filter(k -> k != null).forEach(k -> keys.add("phone:" + k));
        c.emailsOrEmpty().stream().map(ContactKeys::email).filter(k -> k != null).forEach(k -> keys.add("email:" + k));
        for (String key : keys) {
            String[] kv = key.split(":", 2);
            for (String number : jdbc.queryForList("""
                    select distinct cc.customer_number from customer_contact cc join customer cu on cu.customer_number = cc.customer_number
                    where cc.kind = ? and cc.value_key = ? and cu.status = 'PENDING' and cu.customer_number <> ?""",
                    String.class, kv[0], kv[1], c.customerNumber())) {
                jdbc.update("delete from customer_claim where customer_number = ?", number);
                remove(number);
            }
        }
    }
}
