package io.tributary.server.cli;

import io.tributary.cluster.store.ClusterStore;
import io.tributary.cluster.store.ClusterStores;
import io.tributary.cluster.store.StoreException;
import io.tributary.server.auth.PasswordHashes;
import io.tributary.server.auth.UserAccount;
import io.tributary.server.auth.UserAccounts;
import io.tributary.server.config.ConfigException;
import io.tributary.server.config.ConfigKeys;
import io.tributary.server.config.NodeConfig;
import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code tributary admin}: the users who may sign in to the dashboard and the REST API, written straight to
 * the cluster store the node configuration names (the same flags, variables and file as {@code start}). The
 * embedded store is one process's file: stop the node first, or use the REST API ({@code POST /rest/v2/users}).
 * In peers mode users are kept per node, in the node's own file (as embedded): run it for each node.
 */
@Command(name = "admin", mixinStandardHelpOptions = true,
        description = {"Manages dashboard and REST users in the cluster store.",
            "The first user: tributary admin create --user admin (asks for the password), or set "
                    + "TRIBUTARY_AUTH_ADMIN_USER and TRIBUTARY_AUTH_ADMIN_PASSWORD before the first start."},
        subcommands = {AdminCommand.Create.class, AdminCommand.ListUsers.class, AdminCommand.Delete.class,
            AdminCommand.SetPassword.class})
public final class AdminCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getOut());
        return 0;
    }

    /** What every admin subcommand shares: the node configuration (to find the store) and the store's users. */
    abstract static class StoreCommand implements Callable<Integer> {
        static final int FAILED = 1;

        @Spec
        CommandSpec spec;

        @Option(names = "--config", order = 100, paramLabel = "FILE", description = "YAML configuration file")
        Path configFile;

        @Option(names = "--set", order = 101, paramLabel = "KEY=VALUE", description = "sets a configuration key")
        List<String> sets = new ArrayList<>();

        @Override
        public Integer call() {
            PrintWriter err = spec.commandLine().getErr();
            NodeConfig config;
            try {
                config = ConfigResolution.resolve(spec, configFile, sets, System.getenv());
            } catch (ConfigException e) {
                err.println("tributary: " + e.getMessage());
                err.flush();
                return StartCommand.CONFIG_ERROR;
            }
            String location = config.get(ConfigKeys.CLUSTER_STORE);
            try (ClusterStore store = ClusterStores.open(location, config.get(ConfigKeys.CLUSTER_STORE_TIMEOUT),
                    config.dataDir())) {
                int code = run(new UserAccounts(store, new PasswordHashes(), System::currentTimeMillis),
                        spec.commandLine().getOut());
                store.flush();
                return code;
            } catch (StoreException e) {
                err.println("tributary: " + e.getMessage() + (location.equalsIgnoreCase("embedded")
                        || location.equalsIgnoreCase("peers")
                        ? "\n(a running node holds its " + location.toLowerCase(java.util.Locale.ROOT) + " store's file: "
                                + "stop it, or use its REST API, POST /rest/v2/users)"
                        : ""));
            } catch (UserAccounts.UserException | PasswordException e) {
                err.println("tributary: " + e.getMessage());
            }
            err.flush();
            return FAILED;
        }

        abstract int run(UserAccounts users, PrintWriter out);
    }

    /** A password that could not be read. */
    static final class PasswordException extends RuntimeException {
        PasswordException(String message) {
            super(message);
        }
    }

    /** Where new passwords come from: one line on standard input, or typed twice at the terminal. */
    abstract static class PasswordCommand extends StoreCommand {
        @Option(names = "--password-stdin", description = "reads the password from the first line of standard input")
        boolean passwordStdin;

        String password() {
            if (passwordStdin) {
                try {
                    String line = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
                    if (line == null || line.isEmpty()) {
                        throw new PasswordException("no password on standard input");
                    }
                    return line;
                } catch (IOException e) {
                    throw new PasswordException("cannot read the password from standard input: " + e.getMessage());
                }
            }
            Console console = System.console();
            if (console == null) {
                throw new PasswordException("no terminal to ask for the password: pipe it in with --password-stdin");
            }
            char[] first = console.readPassword("Password: ");
            char[] again = console.readPassword("Password again: ");
            if (first == null || again == null || !Arrays.equals(first, again)) {
                throw new PasswordException("the two passwords differ");
            }
            return new String(first);
        }
    }

    @Command(name = "create", mixinStandardHelpOptions = true, sortOptions = false, modelTransformer = ConfigFlags.class,
            description = "Creates a user (every user is an administrator).")
    static final class Create extends PasswordCommand {
        @Option(names = "--user", required = true, order = 0, paramLabel = "NAME", description = "the user name")
        String user;

        @Override
        int run(UserAccounts users, PrintWriter out) {
            users.create(user, password());
            out.println("user " + user + " created; sign in at the dashboard (http://<node>:5080/) or with "
                    + "POST /rest/v2/users/authenticate");
            out.flush();
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, sortOptions = false, modelTransformer = ConfigFlags.class,
            description = "Lists the users.")
    static final class ListUsers extends StoreCommand {
        @Override
        int run(UserAccounts users, PrintWriter out) {
            for (UserAccount.View user : users.list()) {
                out.println(user.username() + "\t" + user.role() + "\tcreated " + java.time.Instant.ofEpochMilli(
                        user.createdAt()));
            }
            out.flush();
            return 0;
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true, sortOptions = false, modelTransformer = ConfigFlags.class,
            description = "Deletes a user (not the last one).")
    static final class Delete extends StoreCommand {
        @Parameters(paramLabel = "NAME", description = "the user to delete")
        String user;

        @Override
        int run(UserAccounts users, PrintWriter out) {
            if (!users.delete(user)) {
                throw new UserAccounts.UserException("no user " + user);
            }
            out.println("user " + user + " deleted (tokens already issued to it stay valid until they expire)");
            out.flush();
            return 0;
        }
    }

    @Command(name = "set-password", mixinStandardHelpOptions = true, sortOptions = false,
            modelTransformer = ConfigFlags.class, description = "Changes a user's password.")
    static final class SetPassword extends PasswordCommand {
        @Parameters(paramLabel = "NAME", description = "the user")
        String user;

        @Override
        int run(UserAccounts users, PrintWriter out) {
            users.setPassword(user, password());
            out.println("password of " + user + " changed");
            out.flush();
            return 0;
        }
    }
}
