package io.tributary.cluster.node;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** Liveness as one component (Membership) judges it; the Monibuca seed's "offline" is DEAD. */
public enum NodeState {
    ALIVE,
    SUSPECT,
    DEAD;

    @JsonValue
    public String jsonValue() {
        return name().toLowerCase(Locale.ROOT);
    }
}
