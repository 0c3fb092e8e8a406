package io.intakehub.support;

import java.util.UUID;

import org.flywaydb.core.Flyway;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/** A fresh, migrated store for a test without Spring: {@code h2} (in memory, the hub's H2 settings) or {@code postgresql}. */
public final class TestStores {

    private TestStores() {}

    public static DriverManagerDataSource migrated(String store) {
        DriverManagerDataSource ds;
        if (store.equals("h2")) {
            ds = new DriverManagerDataSource("jdbc:h2:mem:store-" + UUID.randomUUID()
                    + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1", "sa", "");
        } else if (store.equals("postgresql")) {
            String[] db = PostgresStore.newDatabase();
            ds = new DriverManagerDataSource(db[0], db[1], "");
        } else {
            throw new IllegalArgumentException("a store is h2 or postgresql, not " + store);
        }
        Flyway.configure().dataSource(ds).locations("classpath:db/migration").load().migrate();
        return ds;
    }
}
