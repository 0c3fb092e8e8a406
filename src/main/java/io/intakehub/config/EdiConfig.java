package io.intakehub.config;

import io.intakehub.ingest.edi.EdiSchemas;
import io.intakehub.ingest.edi.PartnerProfiles;
import io.intakehub.local.EmbeddedSftpServer;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/** The EDI channel's beans: schemas, partner profiles and, in the embedded default, the SFTP server. */
@Configuration(proxyBeanMethods = false)
public class EdiConfig {

    @Bean
    EdiSchemas ediSchemas() {
        return new EdiSchemas();
    }

    @Bean
    PartnerProfiles partnerProfiles(HubProperties props, Environment env) {
        // the EDI route archives to ${file:parent}/../done, which is only right for an absolute root
        if (!java.nio.file.Path.of(props.getEdi().getRoot()).isAbsolute()) {
            throw new IllegalStateException("hub.edi.root (HUB_EDI_ROOT) must be an absolute path, not '"
                    + props.getEdi().getRoot() + "'");
        }
        return PartnerProfiles.load(props.getEdi().getPartners(), env);
    }

    /** Step edi-within-budget: each transaction checked, mapped and judged within hub.limits.processing-timeout. */
    @Bean("ediWatchdog")
    io.intakehub.ingest.edi.EdiWatchdog ediWatchdog(@org.springframework.context.annotation.Lazy org.apache.camel.ProducerTemplate template,
            io.intakehub.ingest.edi.EdiIngest ediIngest, io.intakehub.shared.InputBudget budget) {
        return new io.intakehub.ingest.edi.EdiWatchdog(template, ediIngest, budget);
    }

    @Bean
    @ConditionalOnProperty(name = "hub.embedded.enabled", havingValue = "true", matchIfMissing = true)
    EmbeddedSftpServer embeddedSftpServer(PartnerProfiles partners, HubProperties props) {
        return new EmbeddedSftpServer(partners, props);
    }
}
