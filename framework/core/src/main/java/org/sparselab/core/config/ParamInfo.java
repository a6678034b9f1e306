package org.sparselab.core.config;

import org.sparselab.api.config.Param;

import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** One parameter of a configuration record, as {@code sparselab plugins} lists it. */
public record ParamInfo(String key, String type, String defaultValue, String description) {

    /** Describes the components of {@code type}; defaults come from binding an empty map. */
    public static List<ParamInfo> describe(Class<? extends Record> type) {
        Object defaults = null;
        try {
            defaults = ConfigBinder.mapper().convertValue(Map.of(), type);
        } catch (RuntimeException e) {
            // A record with required keys has no complete default; list those as required.
        }
        List<ParamInfo> out = new ArrayList<>();
        for (RecordComponent c : type.getRecordComponents()) {
            String key = snake(c.getName());
            Param p = c.getAnnotation(Param.class);
            String value;
            if (defaults == null) {
                value = "(see description)";
            } else {
                try {
                    Object v = c.getAccessor().invoke(defaults);
                    value = v == null ? "(none)" : render(v);
                } catch (ReflectiveOperationException e) {
                    value = "?";
                }
            }
            out.add(new ParamInfo(key, c.getType().getSimpleName(), value, p == null ? "" : p.value()));
        }
        return out;
    }

    private static String render(Object v) {
        if (v instanceof Record) {
            try {
                return ConfigBinder.mapper().writeValueAsString(v).trim().replace("\n", ", ");
            } catch (Exception e) {
                return v.toString();
            }
        }
        return String.valueOf(v);
    }

    static String snake(String camel) {
        StringBuilder sb = new StringBuilder();
        for (char ch : camel.toCharArray()) {
            if (Character.isUpperCase(ch)) {
                sb.append('_').append(Character.toLowerCase(ch));
            } else {
                sb.append(ch);
            }
        }
        return sb.toString();
    }
}
