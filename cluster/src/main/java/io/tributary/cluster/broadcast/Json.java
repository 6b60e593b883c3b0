package io.tributary.cluster.broadcast;

import com.fasterxml.jackson.annotation.JsonAutoDetect.Visibility;
import com.fasterxml.jackson.annotation.PropertyAccessor;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * The one Jackson configuration for everything Tributary stores or serves. Strict on input, so a
 * typo in a REST body or a record from a newer schema is an error, never a silently dropped value.
 */
public final class Json {

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            // "1080" for a number and 1 for a string hide client bugs.
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            // A public getter must not make a private field writable behind our back.
            .disable(MapperFeature.INFER_PROPERTY_MUTATORS)
            // Fields are properties only where annotated; getters only when public.
            .visibility(PropertyAccessor.FIELD, Visibility.NONE)
            .visibility(PropertyAccessor.GETTER, Visibility.PUBLIC_ONLY)
            .visibility(PropertyAccessor.IS_GETTER, Visibility.PUBLIC_ONLY)
            .enable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            // ALLOW_COERCION_OF_SCALARS does not cover number-to-string; refuse that explicitly.
            .withCoercionConfig(LogicalType.Textual, c -> c
                    .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
            .build();

    private Json() {}

    /** The shared, thread-safe mapper; never reconfigure it (use {@code mapper().copy()} instead). */
    public static ObjectMapper mapper() {
        return MAPPER;
    }
}
