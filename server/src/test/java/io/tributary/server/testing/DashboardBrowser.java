package io.tributary.server.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Headless Chromium on the dashboard, step by step: web/test/dashboard.mjs (playwright-core driving
 * Debian's chromium) takes one command per line and answers each, so a test does what an operator does
 * and checks what they see in between its own actions (publishing with ffmpeg, asking the API).
 */
public final class DashboardBrowser implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Longer than the script's own waits (30 s unless told), so it always answers first. */
    private static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(90);

    private final Process process;
    private final Writer in;
    private final BufferedReader out;
    private final Path stderr;

    private DashboardBrowser(Process process, Path stderr) {
        this.process = process;
        this.stderr = stderr;
        this.in = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        this.out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    }

    /** Starts the browser (no page yet). */
    public static DashboardBrowser start() {
        HlsJs.requireInstalled();
        try {
            Path err = Files.createTempFile("tributary-dashboard", ".err");
            Process p = new ProcessBuilder("node", HlsJs.WEB.resolve("test/dashboard.mjs").toString())
                    .redirectError(err.toFile()).start();
            return new DashboardBrowser(p, err);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start node web/test/dashboard.mjs", e);
        }
    }

    public void open(String url) {
        call(command("open").put("url", url));
    }

    public void fill(String selector, String value) {
        call(command("fill").put("selector", selector).put("value", value));
    }

    public void click(String selector) {
        call(command("click").put("selector", selector));
    }

    /** Waits until an element matching {@code selector} is visible; returns its text. */
    public String waitFor(String selector) {
        return call(command("waitFor").put("selector", selector)).asText();
    }

    /** Waits until an element matching {@code selector} and containing {@code text} is visible; returns its text. */
    public String waitFor(String selector, String text, Duration timeout) {
        return call(command("waitFor").put("selector", selector).put("text", text).put("timeout",
                timeout.toMillis())).asText();
    }

    /** The text of every element matching {@code selector}, visible or not. */
    public List<String> texts(String selector) {
        List<String> texts = new ArrayList<>();
        call(command("texts").put("selector", selector)).forEach(t -> texts.add(t.asText()));
        return texts;
    }

    /** A JavaScript expression's value in the page (JSON-like: null, boolean, number, string, object). */
    public JsonNode eval(String expression) {
        return call(command("eval").put("expression", expression));
    }

    /** Waits until the expression is truthy in the page; returns its value. */
    public JsonNode waitUntil(String expression, Duration timeout) {
        return call(command("waitUntil").put("expression", expression).put("timeout", timeout.toMillis()));
    }

    public void screenshot(Path png) {
        try {
            Files.createDirectories(png.getParent());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        call(command("screenshot").put("path", png.toAbsolutePath().toString()));
    }

    /** Console errors, uncaught page errors and failed requests since the page opened. */
    public List<String> problems() {
        List<String> problems = new ArrayList<>();
        call(command("problems")).forEach(p -> problems.add(p.asText()));
        return problems;
    }

    private static ObjectNode command(String op) {
        return JSON.createObjectNode().put("op", op);
    }

    private JsonNode call(ObjectNode command) {
        String line;
        try {
            in.write(command.toString() + "\n");
            in.flush();
            line = CompletableFuture.supplyAsync(this::readLine).get(ANSWER_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (IOException | ExecutionException | TimeoutException e) {
            throw new AssertionError("the browser did not answer " + command + ": " + e + "\n" + stderrText(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        if (line == null) {
            throw new AssertionError("the browser script ended; stderr:\n" + stderrText());
        }
        try {
            JsonNode answer = JSON.readTree(line);
            if (!answer.path("ok").asBoolean()) {
                throw new AssertionError(command.path("op").asText() + " " + command + " failed: "
                        + answer.path("error").asText());
            }
            return answer.path("value");
        } catch (IOException e) {
            throw new AssertionError("the browser script printed something that is not JSON: " + line, e);
        }
    }

    private String readLine() {
        try {
            return out.readLine();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String stderrText() {
        try {
            return Files.readString(stderr);
        } catch (IOException e) {
            return "(unreadable: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() {
        try {
            in.write(command("close").toString() + "\n");
            in.flush();
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (IOException ignored) {
            // already gone
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
                Files.deleteIfExists(stderr);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (IOException ignored) {
                // a temp file
            }
        }
    }
}
