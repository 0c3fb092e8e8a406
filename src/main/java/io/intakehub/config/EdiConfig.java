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
        return PartnerProfiles.load(props.getEdi().getPartners(), env);
    }

    @Bean
    @ConditionalOnProperty(name = "hub.embedded.enabled", havingValue = "true", matchIfMissing = true)
    EmbeddedSftpServer embeddedSftpServer(PartnerProfiles partners, HubProperties props) {
        return new EmbeddedSftpServer(partners, props);
    }
}
