package io.intakehub.flow;

import io.intakehub.support.PostgresStore;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** Every case of {@link PhoneChannelFlowTest}, with the store on a real PostgreSQL server (the production store) instead of H2. */
class PhoneChannelOnPostgresFlowTest extends PhoneChannelFlowTest {

    @DynamicPropertySource
    static void store(DynamicPropertyRegistry registry) {
        PostgresStore.use(registry);
    }
}
