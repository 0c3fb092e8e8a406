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
}
