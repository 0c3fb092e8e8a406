package io.intakehub.flow;

import io.intakehub.support.PostgresStore;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Every case of {@link CustomerDirectoryFlowTest} on a real PostgreSQL server: there a failed statement aborts its
 * transaction, so a record the store refuses would lose the others of its poll without a savepoint per record.
 */
class CustomerDirectoryOnPostgresFlowTest extends CustomerDirectoryFlowTest {

    @DynamicPropertySource
    static void store(DynamicPropertyRegistry registry) {
        PostgresStore.use(registry);
    }
}
