package org.sparselab.api.config;

import java.util.Collection;
import java.util.Locale;

/** Small validation helpers for configuration records' compact constructors. */
public final class Check {
    private Check() {
    }

    public static <T> T orDefault(T value, T fallback) {
        return value == null ? fallback : value;
    }

    public static int atLeast(String key, int value, int min) {
        if (value < min) {
            throw ConfigException.invalid(key, value, "an integer >= " + min);
        }
        return value;
    }

    public static long atLeast(String key, long value, long min) {
        if (value < min) {
            throw ConfigException.invalid(key, value, "an integer >= " + min);
        }
        return value;
    }

    public static double atLeast(String key, double value, double min) {
        if (!(value >= min) || Double.isInfinite(value)) {
            throw ConfigException.invalid(key, value, "a finite number >= " + min);
        }
        return value;
    }

    public static double positive(String key, double value) {
        if (!(value > 0) || Double.isInfinite(value)) {
            throw ConfigException.invalid(key, value, "a finite number > 0");
        }
        return value;
    }

    public static double inRange(String key, double value, double min, double max) {
        if (!(value >= min && value <= max)) {
            throw ConfigException.invalid(key, value, "a number in [" + min + ", " + max + "]");
        }
        return value;
    }

    public static int inRange(String key, int value, int min, int max) {
        if (value < min || value > max) {
            throw ConfigException.invalid(key, value, "an integer in [" + min + ", " + max + "]");
        }
        return value;
    }

    /** Case-insensitive choice; returns the value in lower case. */
    public static String oneOf(String key, String value, Collection<String> accepted) {
        String v = value.toLowerCase(Locale.ROOT);
        if (!accepted.contains(v)) {
            throw ConfigException.invalid(key, value, "one of " + accepted);
        }
        return v;
    }

    public static <E extends Enum<E>> E enumValue(String key, String value, Class<E> type) {
        for (E e : type.getEnumConstants()) {
            if (e.name().equalsIgnoreCase(value) || e.name().replace('_', '-').equalsIgnoreCase(value)) {
                return e;
            }
        }
        StringBuilder names = new StringBuilder();
        for (E e : type.getEnumConstants()) {
            names.append(names.length() == 0 ? "" : ", ").append(e.name().toLowerCase(Locale.ROOT));
        }
        throw ConfigException.invalid(key, value, "one of [" + names + "]");
    }
}
