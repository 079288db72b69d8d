package io.sharemirror.app;

import io.sharemirror.config.AppConfig;
import io.sharemirror.config.ConfigException;
import io.sharemirror.config.ConfigLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.tinylog.Logger;

/**
 * Reloads the config file when it changes. An edit that fails validation is reported and the last good
 * config keeps running. Polls the file's time and size: a watch service misses edits on some shares and editors.
 */
final class ConfigWatcher implements AutoCloseable {

    static final long POLL_MS = 2000;

    private final Path file;
    private final Consumer<AppConfig> apply;
    private final ScheduledExecutorService poller;
    private String seen;

    ConfigWatcher(Path file, Consumer<AppConfig> apply) {
        this.file = file;
        this.apply = apply;
        this.seen = fingerprint();
        this.poller = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "sharemirror-config-watch");
            t.setDaemon(true);
            return t;
        });
        poller.scheduleWithFixedDelay(this::check, POLL_MS, POLL_MS, TimeUnit.MILLISECONDS);
    }

    void check() {
        String now = fingerprint();
        if (Objects.equals(now, seen)) {
            return;
        }
        seen = now;
        try {
            AppConfig next = ConfigLoader.load(file);
            Logger.info("{} changed; applying it", file);
            apply.accept(next);
        } catch (ConfigException e) {
            Logger.error("{} changed but has errors; keeping the last good config running:{}{}", file,
                    System.lineSeparator(), e.getMessage());
        } catch (RuntimeException e) {
            Logger.error(e, "applying the edited {} failed; keeping what runs", file);
        }
    }

    private String fingerprint() {
        try {
            FileTime time = Files.getLastModifiedTime(file);
            return time.toMillis() + ":" + Files.size(file);
        } catch (IOException e) {
            return "missing";
        }
    }

    @Override
    public void close() {
        poller.shutdownNow();
    }
}
