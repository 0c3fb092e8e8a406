package io.intakehub.ops;

import java.util.Properties;

import io.intakehub.ingest.email.EmailProperties;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * Health component {@code smtp}: the relay the acknowledgements go through accepts the hub's sign-in. The IMAP side
 * is Camel's consumer check ({@code consumer:ingest-email}); SMTP has no consumer, so it is checked here. Not part of
 * readiness: with SMTP down mail waits in the inbox and is answered later, nothing is lost.
 */
@Component("smtp")
public class SmtpHealth implements HealthIndicator {

    private final EmailProperties email;

    public SmtpHealth(EmailProperties email) {
        this.email = email;
    }

    @Override
    public Health health() {
        EmailProperties.Server s = email.smtp();
        if (!email.enabled()) {
            return Health.unknown().withDetail("email", "disabled (hub.email.enabled=false)").build();
        }
        Properties p = new Properties();
        String proto = s.protocol();
        p.put("mail." + proto + ".connectiontimeout", "3000");
        p.put("mail." + proto + ".timeout", "3000");
        p.put("mail." + proto + ".auth", String.valueOf(s.username() != null && !s.username().isBlank()));
        try (Transport t = Session.getInstance(p).getTransport(proto)) {
            t.connect(s.host(), s.port(), s.username(), s.password());
            return Health.up().withDetail("server", proto + "://" + s.host() + ":" + s.port()).build();
        } catch (Exception e) {
            return Health.down().withDetail("server", proto + "://" + s.host() + ":" + s.port()).withDetail("error", e.toString()).build();
        }
    }
}
