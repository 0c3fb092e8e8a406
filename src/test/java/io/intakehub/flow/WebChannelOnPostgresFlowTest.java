package io.intakehub.flow;

import io.intakehub.support.PostgresStore;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** Every case of {@link WebChannelFlowTest}, with the store on a real PostgreSQL server (the production store) instead of H2. */
class WebChannelOnPostgresFlowTest extends WebChannelFlowTest {

    @DynamicPropertySource
    static void store(DynamicPropertyRegistry registry) {
        PostgresStore.use(registry);
    }
}
