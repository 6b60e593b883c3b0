package io.tributary.media.amf;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Equality that also checks decoded types, since an EcmaArray equals an AmfObject as a Map. */
final class AmfAssertions {

    private AmfAssertions() {
    }

    static void assertDecodedAs(Object actual, Object expected) {
        assertThat(actual).isEqualTo(expected);
        assertTypes(actual, expected, "value");
    }

    private static void assertTypes(Object actual, Object expected, String path) {
        if (expected == null) {
            return;
        }
        if (expected instanceof List<?> e) {
            assertThat(actual).as(path).isInstanceOf(ArrayList.class);
            List<?> a = (List<?>) actual;
            for (int i = 0; i < e.size(); i++) {
                assertTypes(a.get(i), e.get(i), path + "[" + i + "]");
            }
            return;
        }
        assertThat(actual.getClass()).as(path).isEqualTo(expected.getClass());
        if (expected instanceof Map<?, ?> e) {
            Map<?, ?> a = (Map<?, ?>) actual;
            e.forEach((k, v) -> assertTypes(a.get(k), v, path + "." + k));
        } else if (expected instanceof TypedObject e) {
            assertTypes(((TypedObject) actual).fields(), e.fields(), path);
        }
    }
}
