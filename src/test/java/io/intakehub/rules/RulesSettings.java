package io.intakehub.rules;

import java.io.IOException;
import java.util.List;
import java.util.Map;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.PropertySourcesPlaceholdersResolver;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.convert.ApplicationConversionService;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.core.env.PropertySource;
import org.springframework.core.io.ClassPathResource;

/**
 * {@code hub.rules.*} bound exactly as Spring Boot binds it at start — from the shipped
 * {@code application.yaml}, with overrides on top as an environment variable or an extra config file would
 * put them — so the rule tests run against the real defaults without starting the hub.
 */
public final class RulesSettings {

    private RulesSettings() {}

    /** The shipped defaults. */
    public static RulesProperties defaults() {
        return load(Map.of());
    }

    /** The shipped defaults with some settings replaced (keys such as {@code hub.rules.order.delivery-fee}). */
    public static RulesProperties load(Map<String, Object> overrides) {
        try {
            List<PropertySource<?>> yaml = new YamlPropertySourceLoader().load("application.yaml", new ClassPathResource("application.yaml"));
            MutablePropertySources sources = new MutablePropertySources();
            sources.addFirst(new MapPropertySource("overrides", overrides));
            yaml.forEach(sources::addLast);
            Binder binder = new Binder(ConfigurationPropertySources.from(sources), new PropertySourcesPlaceholdersResolver(sources),
                    ApplicationConversionService.getSharedInstance());
            return binder.bind("hub.rules", RulesProperties.class).get();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
