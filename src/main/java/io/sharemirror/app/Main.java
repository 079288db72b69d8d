package io.sharemirror.app;

import io.sharemirror.config.AppConfig;
import io.sharemirror.config.ConfigException;
import io.sharemirror.platform.AppDirs;
import io.sharemirror.platform.ConfigLocation;
import io.sharemirror.platform.DarkMode;
import io.sharemirror.platform.LaunchCommand;
import io.sharemirror.platform.StartAtLogin;
import io.sharemirror.store.DemoData;
import io.sharemirror.sync.CycleRecord;
import io.sharemirror.sync.PendingWritesException;
import io.sharemirror.sync.StoreException;
import io.sharemirror.ui.TrayApp;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.tinylog.Logger;
import sun.misc.Signal;

/** {@code java -jar sharemirror.jar <verb>}: parses the command line, runs the verb, exits with its code. */
public final class Main {

    private final PrintStream out;
    private final ConfigLocation location;

    private Main(PrintStream out, ConfigLocation location) {
        this.out = out;
        this.location = location;
    }

    public static void main(String[] args) {
        TrayApp.prepareMainThread(); // before anything starts AWT
        int code = run(args, System.out);
        Logging.shutdown();
        System.exit(code);
    }

    /** Runs a command line; returns the exit code (for tests, without exiting). */
    static int run(String[] args, PrintStream out) {
        CommandLine cl;
        try {
            cl = CommandLine.parse(args);
        } catch (CommandLine.UsageException e) {
            System.err.println("sharemirror: " + e.getMessage());
            System.err.println("Run with --help for usage.");
            return ExitCode.USAGE.code;
        }
        if (cl.help() || cl.verb().equals("help")) {
            out.print(CommandLine.usage());
            return ExitCode.OK.code;
        }
        ConfigLocation location = ConfigLocation.find(cl.config(), "--config");
        try {
            Logging.configure();
            return new Main(out, location).dispatch(cl).code;
        } catch (ConfigException e) {
            System.err.println("sharemirror: the config file " + location.file().toAbsolutePath() + " ("
                    + location.source() + ") has errors; nothing was started:");
            System.err.println(e.getMessage());
            return ExitCode.USAGE.code;
        } catch (Exception e) {
            Logger.error(e, "unexpected failure");
            System.err.println("sharemirror: unexpected failure: " + e);
            return ExitCode.INTERNAL.code;
        }
    }

    private ExitCode dispatch(CommandLine cl) throws Exception {
        if (cl.verb().equals("demo")) {
            return demo(cl);
        }
        AppConfig config = ConfigFile.read(location);
        if (cl.verb().equals("run")) {
            return runOnce(config, cl);
        }
        if (cl.verb().equals("move-hub")) {
            return MoveHubVerb.run(config, cl, out, MoveHubVerb.TO_POSTGRES); // needs no engine, only the file
        }
        if (ConfigFile.notSetUp(location)) {
            if (cl.json()) {
                out.print(StatusJson.render(location.file(), false, List.of(), null));
            } else {
                (cl.verb().equals("status") ? out : System.err).println(notSetUp());
            }
            return cl.verb().equals("status") ? ExitCode.OK : ExitCode.USAGE;
        }
        try (Agent agent = Agent.open(config)) {
            return switch (cl.verb()) {
                case "sync" -> sync(agent, cl);
                case "status" -> status(agent, cl.json());
                case "clear-cache" -> clearCache(agent, cl);
                case "path" -> PathVerb.run(agent, cl.name().orElseThrow(), out);
                case "settle" -> SettleVerb.run(agent, cl.arguments(), out);
                default -> throw new IllegalStateException("verb " + cl.verb());
            };
        }
    }

    /** What every verb but {@code run} says before the dashboard has written this user's config file. */
    private String notSetUp() {
        return "ShareMirror is not set up yet: there is no config file at " + location.file() + ". Start ShareMirror"
                + " (from the applications menu, or " + LaunchCommand.typed("run") + ") and choose Add Database…,"
                + " or name a config file with --config PATH.";
    }

    /** One agent per user: a second {@code run} asks the first to show its dashboard, then exits. */
    private ExitCode runOnce(AppConfig config, CommandLine cl) throws Exception {
        AtomicReference<TrayApp> desktop = new AtomicReference<>();
        try (SingleInstance claim = SingleInstance.claim(AppDirs.stateDirectory(), location.file(), () -> {
            TrayApp app = desktop.get();
            if (app == null) {
                Logger.info("another launch asked for the dashboard, but this agent runs without a window");
                return false;
            }
            app.showDashboard();
            return true;
        }); Agent agent = Agent.open(config)) {
            return run(agent, cl, desktop::set);
        } catch (SingleInstance.AlreadyRunningException e) {
            Path mine = location.file().toAbsolutePath().normalize();
            if (e.activated() && e.config().filter(running -> !running.equals(mine)).isPresent()) {
                System.err.println("sharemirror: ShareMirror is already running for this user with another config, "
                        + e.config().get() + " (this launch asked for " + mine + "); quit it first (Quit in its"
                        + " tray menu, or end process " + e.pid() + ") to run with " + mine);
                return ExitCode.ALREADY_RUNNING;
            }
            System.err.println("sharemirror: " + e.getMessage());
            return e.activated() ? ExitCode.OK : ExitCode.ALREADY_RUNNING;
        }
    }

    /** The agent: syncs until Quit or SIGTERM/SIGINT, follows config edits, prints state changes. */
    private ExitCode run(Agent agent, CommandLine cl, Consumer<TrayApp> started) throws InterruptedException {
        Logger.info("ShareMirror agent started with {} ({}; {} databases)", location.file().toAbsolutePath(),
                location.source(), agent.config().databases().size());
        agent.subscribe(new ConsolePrinter(out));
        CountDownLatch stopped = new CountDownLatch(1);
        AtomicBoolean stopping = new AtomicBoolean();
        Runnable stop = () -> {
            if (stopped.getCount() > 0 && stopping.compareAndSet(false, true)) { // not after Quit, which stopped all
                Logger.info("stopping: letting running cycles finish");
                agent.close();
                Logging.shutdown();
                stopped.countDown();
            }
        };
        Runtime.getRuntime().addShutdownHook(new Thread(stop, "sharemirror-shutdown"));
        // SIGTERM stops the same way and then returns normally, so the exit code is 0 (the JVM's own handler runs
        // the hook and exits with 143).
        try {
            Signal.handle(new Signal("TERM"), signal -> stop.run());
        } catch (IllegalArgumentException e) {
            Logger.debug("no SIGTERM on this system: {}", e.getMessage());
        }
        try (ConfigWatcher watcher = new ConfigWatcher(location.file(), agent::reconfigure)) {
            agent.start();
            if (cl.headless() || !TrayApp.displayAvailable()) {
                Logger.info(cl.headless() ? "running headless (--headless)" : "no display here: running headless; "
                        + LaunchCommand.typed("status") + " shows the state, SIGTERM stops the agent");
            } else {
                try {
                    started.accept(TrayApp.start(new DesktopControl(agent, location, StartAtLogin.forThisUser()),
                            DarkMode::osPrefersDark, stopped::countDown));
                } catch (TrayApp.Unavailable e) {
                    Logger.warn("{}; running headless", e.getMessage());
                }
            }
            stopped.await();
        }
        return ExitCode.OK;
    }

    /** One cycle per database now; the exit code is the worst outcome. */
    private ExitCode sync(Agent agent, CommandLine cl) throws InterruptedException {
        List<String> names = cl.name().map(List::of).orElse(agent.mirroredNames());
        if (cl.name().isPresent() && !agent.isMirrored(cl.name().get())) {
            return notMirrored(agent, cl.name().get());
        }
        ExitCode result = ExitCode.OK;
        for (String name : names) {
            CycleRecord r;
            try {
                r = agent.syncNow(name).get();
            } catch (ExecutionException e) {
                throw new IllegalStateException(e.getCause());
            }
            out.printf("%s: %s in %d ms, pushed %d, pulled %d, conflicts %d%s%n", name,
                    r.outcome().name().toLowerCase(), r.duration().toMillis(), r.pushed(), r.pulled(), r.conflicts(),
                    r.error() == null ? "" : " - " + r.error() + (r.hint() == null ? "" : " (" + r.hint() + ")"));
            result = result.worse(switch (r.outcome()) {
                case IDLE, SYNCED -> ExitCode.OK;
                case OFFLINE -> ExitCode.OFFLINE;
                case FAILED -> ExitCode.FAILED;
            });
        }
        return result;
    }

    private ExitCode status(Agent agent, boolean json) {
        List<StatusTable.Row> rows = StatusTable.rows(agent);
        if (json) {
            out.print(StatusJson.render(location.file(), true, rows, agent.stateSetAside().orElse(null)));
            return ExitCode.OK;
        }
        if (rows.isEmpty()) {
            out.println("No databases are configured in " + location.file() + " yet: add one with Add Database… in"
                    + " ShareMirror's dashboard.");
        } else {
            out.print(StatusTable.render(rows));
        }
        agent.stateSetAside().ifPresent(why -> out.println(System.lineSeparator() + "state.db: " + why));
        return ExitCode.OK;
    }

    private ExitCode clearCache(Agent agent, CommandLine cl) throws InterruptedException {
        String name = cl.name().orElseThrow();
        if (!agent.isMirrored(name)) {
            return notMirrored(agent, name);
        }
        try {
            agent.clearCache(name, cl.discardPending()).get();
            out.println(name + ": cache cleared; " + agent.replicaPath(name) + " is a fresh copy of the hub");
            return ExitCode.OK;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof PendingWritesException p) {
                System.err.println("sharemirror: clear-cache refused: " + p.getMessage() + "; " + p.hint());
                return ExitCode.REFUSED;
            }
            if (e.getCause() instanceof StoreException s) {
                System.err.println("sharemirror: clear-cache failed: " + s.getMessage()
                        + (s.hint() == null ? "" : " (" + s.hint() + ")"));
                return s.kind() == StoreException.Kind.OFFLINE ? ExitCode.OFFLINE : ExitCode.FAILED;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    static ExitCode notMirrored(Agent agent, String name) {
        boolean known = agent.config().database(name).isPresent();
        System.err.println("sharemirror: " + (known ? name + " is opened directly, not mirrored (see `status`)"
                : "no database named '" + name + "' in " + agent.config().source() + "; configured: "
                + (agent.config().databases().isEmpty() ? "none yet"
                : String.join(", ", agent.config().databases().stream().map(d -> d.name()).toList()))));
        return ExitCode.USAGE;
    }

    /**
     * The demo: a local folder stands in for the network share. It mirrors the first configured database,
     * then an application writes the replica and another program writes the share directly, and both
     * writes are shown arriving on the other side.
     */
    private ExitCode demo(CommandLine cl) throws Exception {
        AppConfig config = ConfigFile.read(location);
        if (config.databases().isEmpty()) {
            System.err.println("sharemirror: the demo mirrors the first database of its config, and " + location.file()
                    + " has none; run it with the shipped config: demo --config config.yaml (scripts/demo.sh does)");
            return ExitCode.USAGE;
        }
        var db = config.databases().get(0);
        Path hub = Path.of(db.location());
        if (!Files.exists(hub)) {
            DemoData.createHub(hub);
            out.println("demo: created the demo share " + hub + " from the bundled chinook sample"
                    + " (a local folder standing in for a network share)");
        }
        try (Agent agent = Agent.open(config)) {
            agent.subscribe(new ConsolePrinter(out));
            agent.start();
            CycleRecord first = agent.syncNow(db.name()).get();
            if (!first.succeeded()) {
                out.println("demo: the first sync failed: " + first.error());
                return ExitCode.FAILED;
            }
            Path replica = agent.replicaPath(db.name());
            String local = "Written on this desktop " + Instant.now();
            DemoData.addArtist(replica, local);
            out.println("demo: an application wrote the replica " + replica + ": INSERT INTO Artist '" + local + "'");
            String remote = "Written on the share by another program " + Instant.now();
            DemoData.addArtist(hub, remote);
            out.println("demo: another program wrote the share directly: INSERT INTO Artist '" + remote + "'");
            long deadline = System.currentTimeMillis() + cl.seconds() * 1000L;
            boolean arrived = false;
            while (!arrived && System.currentTimeMillis() < deadline) {
                agent.syncNow(db.name()).get();
                arrived = DemoData.countArtists(hub, local) == 1 && DemoData.countArtists(replica, remote) == 1;
                Thread.sleep(arrived ? 0 : 1000);
            }
            out.println(arrived ? "demo: both writes arrived on the other side"
                    : "demo: the writes did not arrive within " + cl.seconds() + " s");
            out.print(StatusTable.render(StatusTable.rows(agent)));
            return arrived ? ExitCode.OK : ExitCode.FAILED;
        }
    }
}
