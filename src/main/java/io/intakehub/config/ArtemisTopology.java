package io.intakehub.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Artemis addresses the hub uses and the dead-letter address of each. The embedded broker is
 * configured from this; {@code deploy/artemis/broker.xml} declares the same for production (a test
 * checks the two agree).
 */
public final class ArtemisTopology {

    /** One address: its anycast queue and where Artemis moves a message nobody could consume. */
    public record Address(String name, String deadLetterAddress, int maxDeliveryAttempts) {}

    private ArtemisTopology() {}

    public static List<Address> addresses(HubProperties.Queues q) {
        Map<String, Address> all = new LinkedHashMap<>();
        for (String work : q.work()) {
            all.put(work, new Address(work, q.getDeadLetters(), q.getMaxDeliveryAttempts()));
        }
        // a dead letter that nobody can consume is parked, not dropped; the parking queue keeps
        // redelivering (-1) so nothing leaves it except by an operator
        all.put(q.getDeadLetters(), new Address(q.getDeadLetters(), q.getParked(), q.getMaxDeliveryAttempts()));
        all.put(q.getParked(), new Address(q.getParked(), q.getParked(), -1));
        return List.copyOf(all.values());
    }
}
