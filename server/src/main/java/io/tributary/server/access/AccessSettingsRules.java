package io.tributary.server.access;

import io.tributary.cluster.settings.StreamAccessSettings;
import io.tributary.server.http.BadRequestException;
import io.tributary.server.lb.Cidr;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/**
 * What the application settings API shows of an application's access settings, and which changes it takes:
 * the JWT key is never shown (only whether there is one), and a change is refused when it would leave a
 * check that cannot work (a JWT check without a key, an unreadable address block or webhook URL).
 */
public final class AccessSettingsRules {
    /** Shown instead of a key; sent back unchanged (a client saving what it read), it keeps the key. */
    public static final String MASK = "********";

    private AccessSettingsRules() {
    }

    /** The settings as GET shows them: every check on or off, texts empty when not set, the key masked. */
    public static StreamAccessSettings view(StreamAccessSettings s) {
        return new StreamAccessSettings(StreamAccessSettings.on(s.publishTokenControlEnabled()),
                StreamAccessSettings.on(s.playTokenControlEnabled()), StreamAccessSettings.on(s.publishJwtControlEnabled()),
                StreamAccessSettings.on(s.playJwtControlEnabled()), s.jwtStreamSecretKey() == null ? "" : MASK,
                StreamAccessSettings.on(s.ipFilterEnabled()), orEmpty(s.allowedPublisherCIDR()),
                orEmpty(s.webhookPublishUrl()), orEmpty(s.webhookPlayUrl()));
    }

    /**
     * The settings {@code change} makes of {@code current}.
     *
     * @throws BadRequestException saying what is wrong with the result
     */
    public static StreamAccessSettings apply(StreamAccessSettings current, StreamAccessSettings change) {
        StreamAccessSettings c = change;
        if (MASK.equals(c.jwtStreamSecretKey())) {
            c = new StreamAccessSettings(c.publishTokenControlEnabled(), c.playTokenControlEnabled(),
                    c.publishJwtControlEnabled(), c.playJwtControlEnabled(), null, c.ipFilterEnabled(),
                    c.allowedPublisherCIDR(), c.webhookPublishUrl(), c.webhookPlayUrl());
        }
        StreamAccessSettings next = current.merge(c);
        String key = next.jwtStreamSecretKey();
        if (key != null && key.getBytes(StandardCharsets.UTF_8).length < JwtStreamTokens.MIN_KEY_BYTES) {
            throw new BadRequestException("jwtStreamSecretKey must be at least " + JwtStreamTokens.MIN_KEY_BYTES
                    + " bytes long (HS256 needs a 256-bit key).");
        }
        if (key == null && (StreamAccessSettings.on(next.publishJwtControlEnabled())
                || StreamAccessSettings.on(next.playJwtControlEnabled()))) {
            throw new BadRequestException("JWT stream tokens need a jwtStreamSecretKey (at least "
                    + JwtStreamTokens.MIN_KEY_BYTES + " bytes) to check them with: set it too.");
        }
        if (next.allowedPublisherCIDR() != null) {
            for (String block : next.allowedPublisherCIDR().split(",")) {
                if (block.isBlank()) {
                    continue;
                }
                try {
                    Cidr.parse(block);
                } catch (IllegalArgumentException e) {
                    throw new BadRequestException("allowedPublisherCIDR: " + e.getMessage());
                }
            }
        }
        checkUrl("webhookPublishUrl", next.webhookPublishUrl());
        checkUrl("webhookPlayUrl", next.webhookPlayUrl());
        return next;
    }

    private static void checkUrl(String name, String url) {
        if (url == null) {
            return;
        }
        try {
            URI u = new URI(url);
            if (("http".equals(u.getScheme()) || "https".equals(u.getScheme())) && u.getHost() != null) {
                return;
            }
        } catch (java.net.URISyntaxException e) {
            // the message below says what is expected
        }
        throw new BadRequestException(name + " is '" + url + "': give an http:// or https:// URL.");
    }

    private static String orEmpty(String s) {
        return s == null ? "" : s;
    }
}
