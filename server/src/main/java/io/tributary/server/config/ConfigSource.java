package io.tributary.server.config;

/** Where a configuration value came from, as shown in error messages and in {@link NodeConfig#describe()}. */
public record ConfigSource(Kind kind, String where) {

    /** Sources in increasing precedence. */
    public enum Kind { DEFAULT, FILE, ENV, FLAG, OVERRIDE }

    public static final ConfigSource DEFAULT = new ConfigSource(Kind.DEFAULT, "");
    public static final ConfigSource OVERRIDE = new ConfigSource(Kind.OVERRIDE, "");

    public static ConfigSource file(String path) {
        return new ConfigSource(Kind.FILE, path);
    }

    public static ConfigSource env(String variable) {
        return new ConfigSource(Kind.ENV, variable);
    }

    public static ConfigSource flag(String flag) {
        return new ConfigSource(Kind.FLAG, flag);
    }

    @Override
    public String toString() {
        return switch (kind) {
            case DEFAULT -> "default";
            case FILE -> "file " + where;
            case ENV -> "env " + where;
            case FLAG -> "flag " + where;
            case OVERRIDE -> "override";
        };
    }
}
