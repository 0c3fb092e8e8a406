package io.intakehub.local;

import io.intakehub.config.HubProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/** The one "ready" line: where to send things, once everything listens. */
@Component
public class ReadyLog {

    private static final com.google.re2j.Pattern PASSWORD = com.google.re2j.Pattern.compile("password=[^;&]*");

    private static final Logger LOG = LoggerFactory.getLogger(ReadyLog.class);

    private final HubProperties props;
    private final Environment env;

    public ReadyLog(HubProperties props, Environment env) {
        this.props = props;
        this.env = env;
    }

    @EventListener(ApplicationReadyEvent.class)
    public void ready() {
        EmbeddedServers.startedLines().forEach(LOG::info);
        if (props.getEmbedded().isEnabled()) {
            LOG.info("Embedded store: {} (Flyway-migrated)", beforeSemicolon(env.getProperty("spring.datasource.url", "")));
        }
        String port = env.getProperty("local.server.port", env.getProperty("server.port", "8080"));
        LOG.info("Intake Hub ready: web http://localhost:{}/api/v1 | phone exports {} | mail {} | Kafka {} | Artemis {} | store {}{}",
                port, java.nio.file.Path.of(props.getPhone().getRoot(), "in").toAbsolutePath().normalize(),
                env.getProperty("hub.email.enabled", Boolean.class, true)
                        ? env.getProperty("hub.email.imap.username") + " via " + env.getProperty("hub.email.imap.protocol") + "://"
                                + env.getProperty("hub.email.imap.host") + ":" + env.getProperty("hub.email.imap.port")
                        : "off",
                props.getKafka().getBrokers(),
                props.getEmbedded().isEnabled() ? "embedded, tcp://localhost:" + props.getEmbedded().getArtemisPort()
                        : env.getProperty("spring.artemis.broker-url"),
                PASSWORD.matcher(env.getProperty("spring.datasource.url", "")).replaceAll("password=***"),
                props.getEmbedded().isEnabled() ? " | embedded default (local API key in README)" : "");
    }

    private static String beforeSemicolon(String url) {
        int semicolon = url.indexOf(';');
        return semicolon < 0 ? url : url.substring(0, semicolon);
    }
}
