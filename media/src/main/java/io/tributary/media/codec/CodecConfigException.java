package io.tributary.media.codec;

/**
 * A codec configuration (SPS, AVCDecoderConfigurationRecord, AudioSpecificConfig, ADTS header) that
 * cannot be understood; the message says which structure and what was wrong with it, so that it can
 * be shown to the operator of the publishing encoder as is.
 */
public final class CodecConfigException extends RuntimeException {
    public CodecConfigException(String message) {
        super(message);
    }

    public CodecConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
