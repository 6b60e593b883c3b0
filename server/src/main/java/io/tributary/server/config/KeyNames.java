package io.tributary.server.config;

import java.util.Comparator;
import java.util.Locale;

/** Suggests the key an operator probably meant when they wrote one that does not exist. */
final class KeyNames {
    private KeyNames() {
    }

    /** {@code " (did you mean rtmp.port?)"}, or an empty string when nothing is close. */
    static String suggestion(String unknown) {
        String wanted = unknown.toLowerCase(Locale.ROOT);
        return ConfigKeys.all().stream()
                .map(ConfigKey::name)
                .min(Comparator.comparingInt(name -> distance(wanted, name.toLowerCase(Locale.ROOT))))
                .filter(name -> distance(wanted, name.toLowerCase(Locale.ROOT)) <= Math.max(2, wanted.length() / 4))
                .map(name -> " (did you mean " + name + "?)")
                .orElse("");
    }

    private static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
