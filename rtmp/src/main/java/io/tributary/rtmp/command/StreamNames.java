package io.tributary.rtmp.command;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Splits the names RTMP clients send (the connect {@code app}, the publish/play stream name) into the
 * name proper and its query parameters. Encoders put a query on either: OBS often on the app
 * ({@code live?token=x}), ffmpeg on the stream name ({@code demo?token=x}).
 */
public record StreamNames(String name, Map<String, String> params) {

    public static StreamNames parse(String raw) {
        if (raw == null) {
            return new StreamNames("", Map.of());
        }
        int q = raw.indexOf('?');
        String name = q < 0 ? raw : raw.substring(0, q);
        Map<String, String> params = q < 0 ? Map.of() : parseQuery(raw.substring(q + 1));
        return new StreamNames(name, params);
    }

    /** The application name of a connect: its first path element ("live" of "live/_definst_"), trimmed of slashes. */
    public static StreamNames parseApp(String raw) {
        StreamNames n = parse(raw);
        String app = n.name();
        while (app.startsWith("/")) {
            app = app.substring(1);
        }
        int slash = app.indexOf('/');
        if (slash >= 0) {
            app = app.substring(0, slash);
        }
        return new StreamNames(app, n.params());
    }

    public static Map<String, String> parseQuery(String query) {
        Map<String, String> params = new LinkedHashMap<>();
        for (String pair : query.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String key = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            params.putIfAbsent(key, value);
        }
        return params;
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return s;
        }
    }
}
