package org.leantrain.bench;

import java.util.List;

/** The {@code --parts} option of the benchmarks that measure several things: a check of the names given. */
final class Parts {
    private Parts() {}

    static void check(List<String> parts, String... known) {
        for (String part : parts) {
            if (!List.of(known).contains(part)) {
                throw new IllegalArgumentException("--parts: unknown part '" + part + "'; choose from "
                        + String.join(", ", known));
            }
        }
    }
}
