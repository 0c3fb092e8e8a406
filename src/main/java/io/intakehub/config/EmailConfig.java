package io.intakehub.config;

import java.nio.file.Path;

import io.intakehub.ingest.edi.PartnerProfiles;
import io.intakehub.ingest.email.AttachmentStore;
import io.intakehub.ingest.email.AutoReplyWriter;
import io.intakehub.ingest.email.EmailForm;
import io.intakehub.ingest.email.EmailIngest;
import io.intakehub.ingest.email.EmailProperties;
import io.intakehub.ingest.email.EmailStore;
import io.intakehub.local.EmbeddedMailServer;
import io.intakehub.rules.RulesProperties;
import io.intakehub.store.IdempotencyStore;
import org.apache.camel.support.DefaultHeaderFilterStrategy;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The email channel's beans and, in the embedded default, the mail server. */
@Configuration(proxyBeanMethods = false)
public class EmailConfig {

    @Bean
    EmailForm emailForm(EmailProperties email, RulesProperties rules) {
        return EmailForm.load(email.labels(), rules.zone());
    }

    @Bean
    AttachmentStore attachmentStore(EmailProperties email) {
        return new AttachmentStore(Path.of(email.attachmentDir()));
    }

    @Bean
    AutoReplyWriter autoReplyWriter(EmailProperties email, RulesProperties rules) {
        return new AutoReplyWriter(email.reply().from(), email.reply().messageIdDomain(), rules.zone());
    }

    @Bean("emailIngest")
    EmailIngest emailIngest(EmailProperties email, RulesProperties rules, EmailForm form, EmailStore store,
            IdempotencyStore keys, AttachmentStore attachments, AutoReplyWriter writer, PartnerProfiles partners,
            HubProperties hub, io.intakehub.delivery.DeliveryLedger ledger, io.intakehub.store.Journal journal) {
        return new EmailIngest(email, rules, form, store, keys, attachments, writer, partners, Path.of(hub.getEdi().getRoot()), ledger,
                journal);
    }

    /**
     * SECURITY: camel-mail copies every mail header onto the exchange unless told otherwise, and
     * honours some of them (CamelMailMoveTo, CamelMailDelete, …). The hub's mail consumer takes none.
     */
    @Bean("mailHeadersIn")
    DefaultHeaderFilterStrategy mailHeadersIn() {
        DefaultHeaderFilterStrategy s = new DefaultHeaderFilterStrategy();
        s.setInFilterPattern(".*");
        return s;
    }

    /** Step email-within-budget: each mail read, mapped and judged within hub.limits.processing-timeout. */
    @Bean("emailWatchdog")
    io.intakehub.ingest.email.EmailWatchdog emailWatchdog(@org.springframework.context.annotation.Lazy org.apache.camel.ProducerTemplate template,
            @org.springframework.beans.factory.annotation.Qualifier("emailIngest") EmailIngest ingest, io.intakehub.shared.InputBudget budget,
            EmailProperties email) {
        return new io.intakehub.ingest.email.EmailWatchdog(template, ingest, budget, email.folders().quarantine());
    }

    /** The mail consumer's binding: a mail whose IMAP envelope cannot be loaded is still read (LenientMailBinding). */
    @Bean("mailBindingIn")
    io.intakehub.ingest.email.LenientMailBinding mailBindingIn(@org.springframework.beans.factory.annotation.Qualifier("mailHeadersIn")
            DefaultHeaderFilterStrategy headers) {
        return new io.intakehub.ingest.email.LenientMailBinding(headers);
    }

    @Bean
    @ConditionalOnProperty(name = "hub.embedded.enabled", havingValue = "true", matchIfMissing = true)
    EmbeddedMailServer embeddedMailServer(@Value("${hub.embedded.smtp-port}") int smtpPort,
            @Value("${hub.embedded.imap-port}") int imapPort, EmailProperties email) {
        return new EmbeddedMailServer(smtpPort, imapPort, email);
    }
}
