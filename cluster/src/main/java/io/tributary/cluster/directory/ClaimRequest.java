package io.tributary.cluster.directory;

/**
 * A publisher asking this node to become the stream's origin.
 *
 * @param publishType the protocol, as broadcast records name it ("RTMP")
 * @param publisherIp the publisher's address
 */
public record ClaimRequest(String publishType, String publisherIp) {
}
