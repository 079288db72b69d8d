package io.sharemirror.config;

import static io.sharemirror.config.ConfigLoader.quote;

import io.sharemirror.paths.PathShape;
import java.math.BigDecimal;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;

/**
 * The settings for every database at once, declared once: {@code cache_directory} and the {@link Tuning}. They are
 * set in the {@code database:} block only.
 */
final class GlobalSettings {

    static final String CACHE_DIRECTORY = "cache_directory";
    private static final String DEFAULT_CACHE_DIRECTORY = "~/.ims_cache";

    private static final Tuning DEFAULT = Tuning.DEFAULTS;
    private static final String HUB_POLL_EXPECTED = "0 (off) or seconds from 0.5 to 3600 (decimals allowed)";

    static final Setting<Integer> THREAD_POOL_SIZE =
            Setting.wholeNumber("thread_pool_size", 1, 256, "a whole number", DEFAULT.threadPoolSize());
    static final Setting<Duration> CONNECTION_TIMEOUT = Setting.seconds("connection_timeout", 3600,
            "seconds greater than 0 and at most 3600 (decimals allowed)", DEFAULT.connectionTimeout());
    static final Setting<Integer> MAX_RETRIES =
            Setting.wholeNumber("max_retries", 1, 20, "a whole number", DEFAULT.maxRetries());
    static final Setting<Duration> RETRY_BASE_DELAY = Setting.seconds("retry_base_delay", 600,
            "seconds greater than 0 and at most 600 (decimals allowed)", DEFAULT.retryBaseDelay());
    static final Setting<Duration> RETRY_MAX_DELAY = Setting.seconds("retry_max_delay", 600,
            "seconds greater than 0 and at most 600, and not less than retry_base_delay", DEFAULT.retryMaxDelay());
    static final Setting<Integer> CONNECTION_POOL_SIZE =
            Setting.wholeNumber("connection_pool_size", 1, 64, "a whole number", DEFAULT.connectionPoolSize());
    static final Setting<Duration> HUB_POLL_INTERVAL =
            Setting.of("hub_poll_interval", GlobalSettings::hubPollInterval, DEFAULT.hubPollInterval());
    /** Seconds ahead of the file server's clock that another desktop's stamp may move this replica's clock. */
    static final Setting<Duration> MAX_CLOCK_AHEAD =
            Setting.wholeSeconds("max_clock_ahead", 1, 86400, DEFAULT.maxClockAhead());

    static final List<Setting<?>> TUNING = List.of(THREAD_POOL_SIZE, CONNECTION_TIMEOUT, MAX_RETRIES, RETRY_BASE_DELAY,
            RETRY_MAX_DELAY, CONNECTION_POOL_SIZE, HUB_POLL_INTERVAL, MAX_CLOCK_AHEAD);
    static final List<String> TUNING_KEYS = Setting.keys(TUNING);
    static final List<String> KEYS = Stream.concat(Stream.of(CACHE_DIRECTORY), TUNING_KEYS.stream()).toList();

    /**
     * The cache folder as written, where that is in the file ({@code node}, null for the default) and the folder it
     * names ({@code folder}, null after a problem). Whether it is on disk and writable is checked after parsing.
     */
    record CacheDirectory(String raw, Node node, Path folder) {
    }

    private GlobalSettings() {
    }

    /** {@code cache_directory} of the mapping {@code keys} at {@code path}, or the default; relative to baseDir. */
    static CacheDirectory cacheDirectory(NodeReader nodes, Map<String, NodeTuple> keys, String path, Path baseDir) {
        NodeTuple t = keys.get(CACHE_DIRECTORY);
        String where = NodeReader.join(path, CACHE_DIRECTORY);
        String raw = t == null ? DEFAULT_CACHE_DIRECTORY : nodes.string(t, path, "a folder path");
        Node at = t == null ? null : t.getValueNode();
        if (raw == null) {
            return new CacheDirectory(null, at, null);
        }
        if (PathShape.of(raw) == PathShape.UNC) {
            nodes.problem(at, where, quote(raw) + " is a network path; expected a folder on a local disk");
            return new CacheDirectory(raw, at, null);
        }
        Path dir;
        try {
            dir = Path.of(ConfigLoader.resolve(raw, baseDir));
        } catch (InvalidPathException e) {
            nodes.problem(at, where, quote(raw) + " is not a valid path: " + e.getReason());
            return new CacheDirectory(raw, at, null);
        }
        if (!dir.isAbsolute()) {
            nodes.problem(at, where, quote(raw) + " is not a folder path this system can use; expected a local"
                    + " folder such as ~/.ims_cache");
            return new CacheDirectory(raw, at, null);
        }
        return new CacheDirectory(raw, at, dir);
    }

    /** The tuning set in the mapping {@code keys} at {@code path}, the defaults where it sets none. */
    static Tuning tuning(NodeReader nodes, Map<String, NodeTuple> keys, String path) {
        SettingValues v = SettingValues.read(nodes, TUNING, keys, path, SettingValues.defaults(TUNING));
        Duration base = v.get(RETRY_BASE_DELAY);
        Duration max = v.get(RETRY_MAX_DELAY);
        if (!v.wrong(RETRY_BASE_DELAY) && !v.wrong(RETRY_MAX_DELAY) && max.compareTo(base) < 0) {
            NodeTuple maxTuple = keys.get(RETRY_MAX_DELAY.key());
            if (maxTuple != null) {
                nodes.problem(maxTuple.getValueNode(), NodeReader.join(path, RETRY_MAX_DELAY.key()),
                        NodeReader.quoted(maxTuple) + " is less than retry_base_delay (" + secondsText(base)
                                + "); expected seconds from retry_base_delay to 600");
            } else {
                NodeTuple baseTuple = keys.get(RETRY_BASE_DELAY.key());
                nodes.problem(baseTuple.getValueNode(), NodeReader.join(path, RETRY_BASE_DELAY.key()),
                        NodeReader.quoted(baseTuple) + " is greater than retry_max_delay (" + secondsText(max)
                                + " by default); expected seconds up to retry_max_delay, or set retry_max_delay as"
                                + " well");
            }
        }
        return new Tuning(v.get(THREAD_POOL_SIZE), v.get(CONNECTION_TIMEOUT), v.get(MAX_RETRIES), base, max,
                v.get(CONNECTION_POOL_SIZE), v.get(HUB_POLL_INTERVAL), v.get(MAX_CLOCK_AHEAD));
    }

    /**
     * 0 switches the hub-change poll off. Below half a second a poll costs round trips on the share and gains little:
     * write-behind waits a second for local writes to settle anyway.
     */
    private static Duration hubPollInterval(NodeReader nodes, NodeTuple t, String path) {
        if (NodeReader.isZero(t.getValueNode())) {
            return Duration.ZERO;
        }
        Duration poll = nodes.seconds(t, path, BigDecimal.valueOf(3600), HUB_POLL_EXPECTED);
        if (poll != null && poll.compareTo(Duration.ofMillis(500)) < 0) {
            nodes.problem(t.getValueNode(), NodeReader.join(path, NodeReader.key(t)), NodeReader.quoted(t)
                    + " is too short; expected " + HUB_POLL_EXPECTED);
            return null;
        }
        return poll;
    }

    private static String secondsText(Duration d) {
        return BigDecimal.valueOf(d.toMillis()).movePointLeft(3).stripTrailingZeros().toPlainString();
    }
}
