package io.intakehub.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;

import io.intakehub.ingest.phone.PhoneIngest;
import io.intakehub.ingest.phone.PhoneProfiles;
import io.intakehub.ingest.phone.PhoneRows;
import io.intakehub.ingest.phone.PhoneStore;
import io.intakehub.mapping.CanonicalMapper;
import io.intakehub.rules.RulesStage;
import io.intakehub.store.Journal;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Lazy;

/** The phone-export channel's beans: the export profiles, the row mapper and the route's logic. */
@Configuration(proxyBeanMethods = false)
public class PhoneConfig {

    private static final Logger LOG = LoggerFactory.getLogger(PhoneConfig.class);

    /** The folders of the phone channel under hub.phone.root. */
    public static final String[] FOLDERS = {"in", "done", "failed"};

    @Bean
    PhoneProfiles phoneProfiles(HubProperties props) {
        HubProperties.Phone phone = props.getPhone();
        // with mappings reloaded from a folder, the profiles come from the same folder
        HubProperties.Mappings m = props.getMappings();
        Path dir = Path.of(m.getWatchDirectory(), "phone");
        String location = m.isReload() && phone.getProfiles().equals("classpath:mappings/phone/") && Files.isDirectory(dir)
                ? dir.toString() : phone.getProfiles();
        PhoneProfiles profiles = PhoneProfiles.load(location, ZoneId.of(phone.getZone()));
        try {
            for (String f : FOLDERS) {
                Files.createDirectories(Path.of(phone.getRoot(), f));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the phone folders under " + phone.getRoot(), e);
        }
        LOG.info("Phone exports: profiles {} from {}; drop files into {}", profiles.all().stream().map(p -> p.id()).toList(),
                location, Path.of(phone.getRoot(), "in").toAbsolutePath().normalize());
        return profiles;
    }

    @Bean
    PhoneRows phoneRows(CanonicalMapper mapper, RulesStage rules) {
        return new PhoneRows(mapper, new PhoneRows.Rules() {
            @Override
            public RulesStage.Result apply(com.fasterxml.jackson.databind.node.ObjectNode canonical) {
                return rules.apply(canonical, false); // the duplicate guard per batch: claimAll
            }

            @Override
            public java.util.Map<io.intakehub.store.BusinessKeys.Claimed, String> claimAll(
                    java.util.List<io.intakehub.store.BusinessKeys.Claimed> claims) {
                return rules.claimAll(claims);
            }
        });
    }

    @Bean(destroyMethod = "close")
    PhoneIngest phoneIngest(PhoneProfiles profiles, PhoneRows rows, PhoneStore store, Journal journal, HubProperties props,
            CamelContext camel, @Lazy ProducerTemplate template, io.intakehub.shared.IntakeMetrics metrics,
            io.intakehub.delivery.DeliveryLedger ledger) {
        return new PhoneIngest(profiles, rows, store, journal, props, camel, template, metrics, ledger);
    }
}
