package io.intakehub.ingest.edi;

import java.nio.file.Path;

import io.intakehub.config.HubProperties;
import org.apache.camel.CamelContext;
import org.apache.camel.spring.boot.CamelContextConfiguration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Creates, for each partner with a {@code remote} block, the routes that fetch its files from its own
 * server and deliver its acknowledgements there (templates in routes/ingest/edi-remote.camel.yaml).
 */
@Component
public class EdiRemoteRoutes implements CamelContextConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(EdiRemoteRoutes.class);

    private final PartnerProfiles partners;
    private final HubProperties props;

    public EdiRemoteRoutes(PartnerProfiles partners, HubProperties props) {
        this.partners = partners;
        this.props = props;
    }

    @Override
    public void beforeApplicationStart(CamelContext camel) {
        // the templates are loaded with the other YAML routes; routes are added once they are
    }

    @Override
    public void afterApplicationStart(CamelContext camel) {
        for (PartnerProfiles.Partner p : partners.all()) {
            PartnerProfiles.Remote r = p.remote();
            if (r == null) {
                continue;
            }
            Path folder = Path.of(props.getEdi().getRoot(), p.id());
            String strict = r.verifiesHostKey() ? "yes" : "no";
            try {
                if (r.pullUri() != null) {
                    camel.addRouteFromTemplate("ingest-edi-remote-" + p.id().toLowerCase(), "edi-remote-pull", java.util.Map.of(
                            "partner", p.id(), "pullUri", r.pullUri(), "username", r.username(), "password", r.password(),
                            "inbox", folder.resolve("in").toString(), "strictHostKeyChecking", strict));
                }
                if (r.pushUri() != null) {
                    camel.addRouteFromTemplate("deliver-edi-acks-" + p.id().toLowerCase(), "edi-remote-push", java.util.Map.of(
                            "partner", p.id(), "pushUri", r.pushUri(), "username", r.username(), "password", r.password(),
                            "outbox", folder.resolve("out").toString(), "strictHostKeyChecking", strict));
                }
                LOG.info("Partner {}: fetching from {}, delivering acknowledgements to {}", p.id(), r.pullUri(), r.pushUri());
            } catch (Exception e) {
                throw new IllegalStateException("cannot create the remote routes of partner " + p.id() + ": " + e.getMessage(), e);
            }
        }
    }
}
