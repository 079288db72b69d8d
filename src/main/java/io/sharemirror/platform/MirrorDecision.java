package io.sharemirror.platform;

import io.sharemirror.config.EnableCache;
import java.util.Objects;

/**
 * Whether a database is mirrored into a local replica or opened where it lies, and why.
 *
 * @param mirror true to keep a local replica
 * @param reason e.g. "mirrored: enable_cache is auto and the path is on a cifs mount at /mnt/share"
 */
public record MirrorDecision(boolean mirror, String reason) {

    /** {@code true} and {@code false} decide by themselves; {@code auto} mirrors exactly the network paths. */
    public static MirrorDecision decide(EnableCache setting, NetworkPaths.Placement placement) {
        Objects.requireNonNull(setting, "setting");
        return switch (setting) {
            case TRUE -> new MirrorDecision(true, "mirrored: enable_cache is true");
            case FALSE -> new MirrorDecision(false, "direct: enable_cache is false");
            case AUTO -> {
                Objects.requireNonNull(placement, "placement");
                yield new MirrorDecision(placement.network(), (placement.network() ? "mirrored" : "direct")
                        + ": enable_cache is auto and the path is " + placement.reason());
            }
        };
    }
}
