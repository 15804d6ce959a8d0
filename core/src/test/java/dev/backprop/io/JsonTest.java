package dev.backprop.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {

    @Test
    void parsesEveryKindOfValue() throws Exception {
        Object v = Json.parse(" {\"a\": [1, -2.5e-3, 0.0], \"b\": \"x\\\"\\n\\u00e9\", \"c\": true, \"d\": null, \"e\": {}} ");
        Map<?, ?> m = (Map<?, ?>) v;
        List<?> a = (List<?>) m.get("a");
        assertEquals(-2.5e-3, ((Json.Num) a.get(1)).doubleValue());
        assertEquals("1", ((Json.Num) a.get(0)).literal());
        assertEquals("x\"\né", m.get("b"));
        assertEquals(Boolean.TRUE, m.get("c"));
        assertTrue(m.containsKey("d"));
        assertEquals(List.of("a", "b", "c", "d", "e"), List.copyOf(m.keySet()));
    }

    @Test
    void numbersKeepTheirLiteralSoFloatsRoundTrip() throws Exception {
        float f = 0.1f + 0.2f;
        Json.Num n = (Json.Num) ((List<?>) Json.parse("[" + Float.toString(f) + "]")).get(0);
        assertEquals(Float.floatToIntBits(f), Float.floatToIntBits(n.floatValue()));
    }

    @Test
    void errorsNameLineAndColumn() {
        Json.SyntaxError e = assertThrows(Json.SyntaxError.class, () -> Json.parse("{\n  \"a\": 1,\n  \"b\" 2\n}"));
        assertEquals(3, e.line());
        assertEquals(7, e.column());
        assertTrue(e.getMessage().contains("expected ':'"), e.getMessage());
    }

    @Test
    void refusesMalformedDocuments() {
        for (String bad : List.of("", "{", "[1, 2", "{\"a\": 1,}", "[01]", "[1.]", "[-]", "{\"a\": 1, \"a\": 2}", "[1] x", "\"abc",
                "[NaN]", "[1e]", "{a: 1}", "[tru]", "[\"\\q\"]", "[\"\\u+041\"]", "[\"\\u-001\"]")) {
            assertThrows(Json.SyntaxError.class, () -> Json.parse(bad), bad);
        }
        Json.SyntaxError e = assertThrows(Json.SyntaxError.class, () -> Json.parse("{\"a\": [1, 2"));
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
    }

    @Test
    void refusesDeepNesting() {
        String deep = "[".repeat(100) + "]".repeat(100);
        Json.SyntaxError e = assertThrows(Json.SyntaxError.class, () -> Json.parse(deep));
        assertTrue(e.getMessage().contains("nested"));
    }
}
