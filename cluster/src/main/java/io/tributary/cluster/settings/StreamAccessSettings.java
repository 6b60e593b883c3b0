package io.tributary.cluster.settings;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Who may publish and play an application's streams, with Ant Media Server's setting names. Every field may
 * be null ("not set"): the check it stands for is off. A blank text field clears the value when merged.
 *
 * @param publishTokenControlEnabled a publisher needs a one-time publish token ({@code ?token=})
 * @param playTokenControlEnabled a player needs a one-time play token
 * @param publishJwtControlEnabled a publisher needs a JWT stream token signed with {@code jwtStreamSecretKey}
 * @param playJwtControlEnabled a player needs a JWT stream token
 * @param jwtStreamSecretKey the HS256 key of JWT stream tokens (at least 32 bytes)
 * @param ipFilterEnabled publishers must connect from {@code allowedPublisherCIDR}
 * @param allowedPublisherCIDR comma-separated CIDR blocks publishers may connect from
 * @param webhookPublishUrl asked (SRS {@code on_publish} style) before every publish
 * @param webhookPlayUrl asked (SRS {@code on_play} style) before every play
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record StreamAccessSettings(@JsonProperty("publishTokenControlEnabled") Boolean publishTokenControlEnabled,
                                   @JsonProperty("playTokenControlEnabled") Boolean playTokenControlEnabled,
                                   @JsonProperty("publishJwtControlEnabled") Boolean publishJwtControlEnabled,
                                   @JsonProperty("playJwtControlEnabled") Boolean playJwtControlEnabled,
                                   @JsonProperty("jwtStreamSecretKey") String jwtStreamSecretKey,
                                   @JsonProperty("ipFilterEnabled") Boolean ipFilterEnabled,
                                   @JsonProperty("allowedPublisherCIDR") String allowedPublisherCIDR,
                                   @JsonProperty("webhookPublishUrl") String webhookPublishUrl,
                                   @JsonProperty("webhookPlayUrl") String webhookPlayUrl) {

    /** Nothing set: every stream of the application is open. */
    public static final StreamAccessSettings NONE = new StreamAccessSettings(null, null, null, null, null, null,
            null, null, null);

    /** These settings with every field {@code change} sets; a blank text in {@code change} clears that value. */
    public StreamAccessSettings merge(StreamAccessSettings change) {
        if (change == null) {
            return this;
        }
        return new StreamAccessSettings(
                or(change.publishTokenControlEnabled, publishTokenControlEnabled),
                or(change.playTokenControlEnabled, playTokenControlEnabled),
                or(change.publishJwtControlEnabled, publishJwtControlEnabled),
                or(change.playJwtControlEnabled, playJwtControlEnabled),
                text(change.jwtStreamSecretKey, jwtStreamSecretKey),
                or(change.ipFilterEnabled, ipFilterEnabled),
                text(change.allowedPublisherCIDR, allowedPublisherCIDR),
                text(change.webhookPublishUrl, webhookPublishUrl),
                text(change.webhookPlayUrl, webhookPlayUrl));
    }

    /** Whether any check is on: when none is, publishes and plays skip access control altogether. */
    public boolean anyEnabled() {
        return publishChecked() || playChecked();
    }

    /** Whether a publish is checked at all (tokens, address or webhook). */
    public boolean publishChecked() {
        return on(publishTokenControlEnabled) || on(publishJwtControlEnabled) || on(ipFilterEnabled)
                || webhookPublishUrl != null;
    }

    /** Whether a play is checked at all (tokens or webhook). */
    public boolean playChecked() {
        return on(playTokenControlEnabled) || on(playJwtControlEnabled) || webhookPlayUrl != null;
    }

    public static boolean on(Boolean flag) {
        return Boolean.TRUE.equals(flag);
    }

    private static <T> T or(T changed, T current) {
        return changed != null ? changed : current;
    }

    private static String text(String changed, String current) {
        if (changed == null) {
            return current;
        }
        return changed.isBlank() ? null : changed.strip();
    }

    @Override
    public String toString() {
        return "StreamAccessSettings[publishToken=" + publishTokenControlEnabled + ", playToken="
                + playTokenControlEnabled + ", publishJwt=" + publishJwtControlEnabled + ", playJwt="
                + playJwtControlEnabled + ", jwtStreamSecretKey=" + (jwtStreamSecretKey == null ? "null" : "<hidden>")
                + ", ipFilter=" + ipFilterEnabled + ", allowedPublisherCIDR=" + allowedPublisherCIDR
                + ", webhookPublishUrl=" + webhookPublishUrl + ", webhookPlayUrl=" + webhookPlayUrl + "]";
    }
}
