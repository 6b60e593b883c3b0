package io.tributary.server.lb;

import java.util.List;

/**
 * What a generated HAProxy configuration listens on and how its stats page is protected.
 *
 * @param bindAddress  the address HAProxy binds its frontends to; empty for every address
 * @param header       comment lines at the top (without "# ")
 * @param markChanges  whether lines an operator must edit carry a "CHANGE" comment (the shipped example)
 */
public record HaproxySettings(String bindAddress, int rtmpPort, int publishPort, int playPort, int statsPort,
                              String statsUser, String statsPassword, List<String> header, boolean markChanges) {

    public static final int RTMP_PORT = 1935;
    public static final int PUBLISH_PORT = 80;
    public static final int PLAY_PORT = 5080;
    public static final int STATS_PORT = 8404;

    public HaproxySettings {
        header = List.copyOf(header);
    }
}
