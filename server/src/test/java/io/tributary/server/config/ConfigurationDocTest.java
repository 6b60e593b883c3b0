package io.tributary.server.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.server.testing.Repository;
import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Keeps docs/configuration.md true: every key has a row with its environment variable, flag and default. */
class ConfigurationDocTest {

    @Test
    void everyKeyIsDocumented() throws IOException {
        List<String> lines = Files.readAllLines(Repository.root().resolve("docs/configuration.md"));

        assertThat(ConfigKeys.all()).allSatisfy(key -> {
            String row = lines.stream().filter(line -> line.startsWith("| `" + key.name() + "` |")).findFirst()
                    .orElseThrow(() -> new AssertionError("docs/configuration.md has no table row for " + key.name()));
            assertThat(row).as("row of " + key.name()).contains("`" + key.envName() + "`");
            key.cliFlag().ifPresent(flag -> assertThat(row).as("row of " + key.name()).contains("`" + flag + "`"));
            String defaultText = key.format(key.defaultValue());
            if (defaultText != null) {
                assertThat(row).as("row of " + key.name()).contains("`" + defaultText + "`");
            }
        });
    }

    @Test
    void everySeedAliasIsDocumented() throws IOException {
        List<String> lines = Files.readAllLines(Repository.root().resolve("docs/configuration.md"));

        SeedAliases.all().forEach((alias, keys) -> {
            String row = lines.stream().filter(line -> line.startsWith("| `" + alias + "` |")).findFirst()
                    .orElseThrow(() -> new AssertionError("docs/configuration.md has no table row for " + alias));
            keys.forEach(key -> assertThat(row).as("row of " + alias).contains("`" + key + "`"));
        });
    }
}
