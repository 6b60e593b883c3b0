package io.tributary.server.dashboard;

import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.tributary.server.http.Request;
import io.tributary.server.http.Response;
import io.tributary.server.http.Router;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.StringJoiner;

/**
 * The web dashboard: {@code GET /} is its page and {@code /dashboard/...} its scripts, styles and vendor
 * libraries, all from {@link DashboardFiles}. Its data comes from the REST API, which signs the user in;
 * these files are public (the sign-in screen is one of them) and hold no data.
 *
 * <p>Caching: the page and the dashboard's own modules are revalidated on every load ({@code no-cache}
 * with an ETag, so an unchanged file costs a 304); vendor files are cached for a year, which is safe
 * because the page names them with their ETag in the query.
 */
public final class DashboardRoutes {
    static final String VENDOR_CACHE = "public, max-age=31536000, immutable";
    static final String OWN_CACHE = "no-cache";
    /**
     * Everything from this node, no inline script but the import map (its hash is added), media from blob:
     * URLs (the players feed Media Source Extensions), workers from blob: (hls.js builds its worker so).
     */
    static final String CSP = "default-src 'self'; script-src 'self'%s; style-src 'self'; img-src 'self' data:; "
            + "media-src 'self' blob:; connect-src 'self'; worker-src 'self' blob:; object-src 'none'; "
            + "base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    private final DashboardFiles files;

    public DashboardRoutes(DashboardFiles files) {
        this.files = files;
    }

    public void register(Router router) {
        router.add(HttpMethod.GET, "/", r -> serve(r, DashboardFiles.INDEX))
                .add(HttpMethod.GET, "/dashboard", r -> new Response(HttpResponseStatus.FOUND, null, new byte[0],
                        Map.of("Location", "/")));
        StringBuilder pattern = new StringBuilder("/dashboard");
        for (int depth = 0; depth <= DashboardFiles.MAX_DEPTH; depth++) {
            pattern.append("/{p").append(depth).append('}');
            int segments = depth + 1;
            router.add(HttpMethod.GET, pattern.toString(), r -> serve(r, path(r, segments)));
        }
    }

    private static String path(Request r, int segments) {
        StringJoiner path = new StringJoiner("/");
        for (int i = 0; i < segments; i++) {
            path.add(r.param("p" + i));
        }
        return path.toString();
    }

    private Response serve(Request r, String path) {
        Optional<DashboardFiles.File> found = files.find(path);
        if (found.isEmpty()) {
            return Response.error(HttpResponseStatus.NOT_FOUND, path.equals(DashboardFiles.INDEX)
                    ? "This node was built without the dashboard (web/node_modules was missing at build time)."
                    : "No such dashboard file: " + r.path());
        }
        DashboardFiles.File f = found.get();
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("ETag", f.etag());
        headers.put("Cache-Control", f.vendor() ? VENDOR_CACHE : OWN_CACHE);
        headers.put("X-Content-Type-Options", "nosniff");
        if (path.equals(DashboardFiles.INDEX)) {
            headers.put("Content-Security-Policy", String.format(CSP,
                    f.scriptHashes().isEmpty() ? "" : " " + f.scriptHashes()));
            headers.put("Referrer-Policy", "no-referrer");
        }
        if (notModified(r.header("If-None-Match"), f.etag())) {
            return new Response(HttpResponseStatus.NOT_MODIFIED, null, new byte[0], Map.copyOf(headers));
        }
        return new Response(HttpResponseStatus.OK, f.contentType(), f.body(), Map.copyOf(headers));
    }

    /** RFC 9110 If-None-Match: a list of tags (weak ones compared weakly) or {@code *}. */
    static boolean notModified(String ifNoneMatch, String etag) {
        if (ifNoneMatch == null) {
            return false;
        }
        for (String tag : ifNoneMatch.split(",")) {
            String t = tag.strip();
            if (t.equals("*") || t.equals(etag) || t.startsWith("W/") && t.substring(2).equals(etag)) {
                return true;
            }
        }
        return false;
    }
}
