package io.intakehub.shared;

/** Looking through an exception's cause chain, the one way every channel does it. */
public final class Failures {

    private Failures() {}

    /** The first exception of {@code type} in the chain of {@code t} (itself included), or null. */
    public static <T extends Throwable> T cause(Throwable t, Class<T> type) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (type.isInstance(c)) {
                return type.cast(c);
            }
        }
        return null;
    }

    /**
     * True when the failure is the infrastructure's, not the input's: Kafka, the JMS broker or the
     * store did not answer. The input is then left in its source and read again, never dead-lettered.
     * Channels may add their own (a mail server connection); {@code routes/shared/error-handling}
     * lists the same classes for the route-level policies.
     */
    public static boolean isInfrastructure(Throwable t) {
        return TransientFailures.isInfrastructure(t);
    }
}
