package io.intakehub.support;

import java.util.UUID;

import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * The hub's store on a real PostgreSQL server instead of H2: one server for the whole test run (started with the first
 * test that asks, stopped when the JVM ends), a database of its own for each Spring context, the same Flyway
 * migrations. A flow test runs on PostgreSQL by extending it and adding
 * {@code @DynamicPropertySource static void store(DynamicPropertyRegistry r) { PostgresStore.use(r); }}.
 */
public final class PostgresStore {

    private static PostgresServer server;

    private PostgresStore() {}

    /** Points the context's data source at a fresh database on the shared server. */
    public static void use(DynamicPropertyRegistry registry) {
        String[] db = newDatabase();
        registry.add("spring.datasource.url", () -> db[0]);
        registry.add("spring.datasource.username", () -> db[1]);
        registry.add("spring.datasource.password", () -> "");
    }

    /** A fresh database on the shared server, for a test that opens its own connections: its URL and user. */
    public static String[] newDatabase() {
        PostgresServer pg = server();
        return new String[] {pg.createDatabase("hub_" + UUID.randomUUID().toString().replace("-", "")), pg.user()};
    }

    private static synchronized PostgresServer server() {
        if (server == null) {
            server = PostgresServer.start();
            Runtime.getRuntime().addShutdownHook(new Thread(server::close, "postgres-stop"));
        }
        return server;
    }
}
