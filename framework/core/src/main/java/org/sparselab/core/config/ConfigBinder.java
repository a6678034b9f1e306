package org.sparselab.core.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import org.sparselab.api.config.ConfigException;

import java.util.Collection;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Binds YAML maps to configuration records: snake_case keys, unknown keys rejected, defaults and
 * validation from the records' compact constructors. Failures become {@link ConfigError}s that name
 * the file, line, key, value and what is accepted.
 */
public final class ConfigBinder {

    private static final ObjectMapper MAPPER = newMapper();

    private ConfigBinder() {
    }

    /** The mapper used for run files: YAML, snake_case, strict. */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    private static ObjectMapper newMapper() {
        YAMLFactory yaml = YAMLFactory.builder()
                .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
                .build();
        ObjectMapper m = new ObjectMapper(yaml);
        m.setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);
        m.enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        m.enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
        m.enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS);
        m.enable(DeserializationFeature.ACCEPT_SINGLE_VALUE_AS_ARRAY);
        m.enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);
        m.findAndRegisterModules();
        return m;
    }

    /**
     * Binds {@code params} (found at {@code path} in {@code source}) to {@code type}.
     *
     * @param what human name of the thing being configured, e.g. {@code model 'sdm-topk'}
     */
    public static <C> C bind(Map<String, Object> params, Class<C> type, String path, ConfigSource source, String what) {
        try {
            return MAPPER.convertValue(params == null ? Map.of() : params, type);
        } catch (IllegalArgumentException e) {
            throw translate(e, type, path, source, what);
        }
    }

    /** Binds a parsed tree; unlike {@link #bind} it keeps the order of map keys (a sweep's grid order matters). */
    public static <C> C bind(JsonNode tree, Class<C> type, String path, ConfigSource source, String what) {
        try {
            return MAPPER.treeToValue(tree, type);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw translate(e, type, path, source, what);
        }
    }

    static ConfigError translate(Throwable e, Class<?> type, String path, ConfigSource source, String what) {
        Throwable t = e instanceof IllegalArgumentException && e.getCause() != null ? e.getCause() : e;
        if (t instanceof UnrecognizedPropertyException u) {
            String key = join(path, pathOf(u));
            Collection<Object> known = u.getKnownPropertyIds();
            String knownText = known == null ? "" : "; " + what + " accepts: " + new TreeSet<>(known.stream().map(String::valueOf).collect(Collectors.toList()));
            return new ConfigError(source, key, "unknown key '" + key + "'" + knownText);
        }
        if (t instanceof ValueInstantiationException v) {
            Throwable c = v.getCause();
            while (c != null && !(c instanceof ConfigException) && c.getCause() != null && c.getCause() != c) {
                c = c.getCause();
            }
            String at = pathOf(v);
            if (c instanceof ConfigException ce) {
                String inner = ce.key().contains(".") && !at.isEmpty() ? lastSegment(ce.key()) : ce.key();
                String key = join(path, join(at, inner));
                String msg = ce.getMessage();
                String shown = join(path, at);
                return new ConfigError(source, key, (shown.isEmpty() ? "" : shown + ": ") + msg);
            }
            String msg = c == null ? v.getOriginalMessage() : c.getMessage();
            return new ConfigError(source, join(path, at), what + ": " + msg);
        }
        if (t instanceof InvalidFormatException f) {
            String key = join(path, pathOf(f));
            return new ConfigError(source, key, key + " = " + f.getValue() + " is not accepted: expected " + typeName(f.getTargetType()));
        }
        if (t instanceof MismatchedInputException m) {
            String key = join(path, pathOf(m));
            return new ConfigError(source, key, key + " has the wrong type: expected " + typeName(m.getTargetType()));
        }
        if (t instanceof JsonMappingException j) {
            String key = join(path, pathOf(j));
            return new ConfigError(source, key, key + ": " + j.getOriginalMessage());
        }
        if (t instanceof ConfigException ce) {
            String key = join(path, ce.key());
            return new ConfigError(source, key, ce.getMessage());
        }
        return new ConfigError(source, path, what + ": " + t.getMessage());
    }

    private static String lastSegment(String k) {
        return k.substring(k.lastIndexOf('.') + 1);
    }

    private static String typeName(Class<?> c) {
        if (c == null) {
            return "another type";
        }
        if (c == Integer.class || c == int.class || c == Long.class || c == long.class) {
            return "an integer";
        }
        if (c == Double.class || c == double.class || c == Float.class || c == float.class) {
            return "a number";
        }
        if (c == Boolean.class || c == boolean.class) {
            return "true or false";
        }
        if (c == String.class) {
            return "a string";
        }
        if (java.util.List.class.isAssignableFrom(c)) {
            return "a list";
        }
        if (Map.class.isAssignableFrom(c) || c.isRecord()) {
            return "a map of keys";
        }
        return c.getSimpleName();
    }

    static String pathOf(JsonMappingException e) {
        StringBuilder sb = new StringBuilder();
        for (JsonMappingException.Reference r : e.getPath()) {
            if (r.getFieldName() != null) {
                sb.append(sb.length() == 0 ? "" : ".").append(r.getFieldName());
            } else if (r.getIndex() >= 0) {
                sb.append('[').append(r.getIndex()).append(']');
            }
        }
        return sb.toString();
    }

    static String join(String a, String b) {
        if (a == null || a.isEmpty()) {
            return b == null ? "" : b;
        }
        if (b == null || b.isEmpty()) {
            return a;
        }
        return b.startsWith("[") ? a + b : a + "." + b;
    }
}
