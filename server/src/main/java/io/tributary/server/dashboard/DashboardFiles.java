package io.tributary.server.dashboard;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The dashboard's files, read once from the classpath ({@code dashboard/} in the jar: the build copies
 * web/dashboard and the vendor files there) and kept in memory with their content type and ETag.
 *
 * <p>Only names made of letters, digits, {@code .}, {@code _} and {@code -} (not starting with a dot), in
 * at most {@link #MAX_DEPTH} folders, with a known extension, are ever looked up, so no request can
 * reach outside {@code dashboard/}. {@code index.html} is rewritten as it is loaded: every
 * {@code /dashboard/vendor/...} reference gets {@code ?v=<that file's ETag>}, so vendor files can be cached
 * for a year and still change with the build, and the hash of its inline import map goes into the page's
 * Content-Security-Policy (an import map must be inline; nothing else is).
 */
public final class DashboardFiles {
    public static final String INDEX = "index.html";
    static final int MAX_DEPTH = 3;
    private static final String ROOT = "dashboard/";
    private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]{0,127}");
    private static final Pattern VENDOR_REF = Pattern.compile("/dashboard/(vendor/[A-Za-z0-9._/-]+)");
    private static final Pattern IMPORT_MAP = Pattern.compile(
            "<script type=\"importmap\">(.*?)</script>", Pattern.DOTALL);
    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html; charset=utf-8",
            "js", "text/javascript; charset=utf-8",
            "mjs", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8",
            "svg", "image/svg+xml",
            "png", "image/png",
            "ico", "image/x-icon",
            "txt", "text/plain; charset=utf-8",
            "json", "application/json");

    /** A file to serve. {@code scriptHashes} are CSP sources for the page's inline scripts (index only). */
    public record File(String path, byte[] body, String contentType, String etag, String scriptHashes) {
        public boolean vendor() {
            return path.startsWith("vendor/");
        }
    }

    private final ClassLoader loader;
    private final Map<String, File> cache = new ConcurrentHashMap<>();

    public DashboardFiles(ClassLoader loader) {
        this.loader = loader;
    }

    /** Whether the build put the dashboard into this jar (a build without web/ has an API only). */
    public boolean present() {
        return find(INDEX).isPresent();
    }

    /**
     * The file at {@code path} (relative to {@code dashboard/}, e.g. {@code vendor/preact.mjs}), or empty
     * for anything that is not a dashboard file.
     */
    public Optional<File> find(String path) {
        if (!acceptable(path)) {
            return Optional.empty();
        }
        // Not computeIfAbsent: loading the index loads the vendor files it names, which must not happen
        // inside another key's computation. Misses are not kept: any number of names can miss.
        File cached = cache.get(path);
        if (cached != null) {
            return Optional.of(cached);
        }
        Optional<File> loaded = load(path);
        loaded.ifPresent(f -> cache.putIfAbsent(path, f));
        return loaded;
    }

    static boolean acceptable(String path) {
        if (path == null || path.isEmpty()) {
            return false;
        }
        String[] segments = path.split("/", -1);
        if (segments.length > MAX_DEPTH + 1) {
            return false;
        }
        for (String s : segments) {
            if (!SEGMENT.matcher(s).matches()) {
                return false;
            }
        }
        return TYPES.containsKey(extension(path));
    }

    private Optional<File> load(String path) {
        byte[] bytes = read(ROOT + path);
        if (bytes == null) {
            return Optional.empty();
        }
        String hashes = "";
        if (path.equals(INDEX)) {
            String html = versionVendorReferences(new String(bytes, StandardCharsets.UTF_8));
            hashes = inlineScriptHashes(html);
            bytes = html.getBytes(StandardCharsets.UTF_8);
        }
        return Optional.of(new File(path, bytes, TYPES.get(extension(path)), etag(bytes), hashes));
    }

    private String versionVendorReferences(String html) {
        Matcher m = VENDOR_REF.matcher(html);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String ref = m.group();
            Optional<File> target = find(m.group(1));
            String versioned = target.map(f -> ref + "?v=" + f.etag().replace("\"", "")).orElse(ref);
            m.appendReplacement(out, Matcher.quoteReplacement(versioned));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** CSP {@code 'sha256-...'} sources of the page's inline import map. */
    private static String inlineScriptHashes(String html) {
        StringBuilder sources = new StringBuilder();
        Matcher m = IMPORT_MAP.matcher(html);
        while (m.find()) {
            byte[] hash = sha256(m.group(1).getBytes(StandardCharsets.UTF_8));
            sources.append(sources.length() == 0 ? "" : " ").append("'sha256-")
                    .append(Base64.getEncoder().encodeToString(hash)).append('\'');
        }
        return sources.toString();
    }

    private byte[] read(String resource) {
        try (InputStream in = loader.getResourceAsStream(resource)) {
            return in == null ? null : in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + resource + " from the classpath", e);
        }
    }

    private static String extension(String path) {
        int dot = path.lastIndexOf('.');
        return dot < 0 ? "" : path.substring(dot + 1).toLowerCase(Locale.ROOT);
    }

    private static String etag(byte[] body) {
        return "\"" + HexFormat.of().formatHex(sha256(body), 0, 12) + "\"";
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this Java runtime", e);
        }
    }
}
