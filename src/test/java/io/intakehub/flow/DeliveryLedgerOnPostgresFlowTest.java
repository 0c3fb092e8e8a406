package io.intakehub.flow;

import io.intakehub.support.PostgresStore;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** Every case of {@link DeliveryLedgerFlowTest} with the store on a real PostgreSQL server (the production store). */
class DeliveryLedgerOnPostgresFlowTest extends DeliveryLedgerFlowTest {

    @DynamicPropertySource
    static void store(DynamicPropertyRegistry registry) {
        PostgresStore.use(registry);
    }
}
