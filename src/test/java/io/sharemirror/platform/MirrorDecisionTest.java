package io.sharemirror.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sharemirror.config.EnableCache;
import io.sharemirror.platform.NetworkPaths.Placement;
import org.junit.jupiter.api.Test;

class MirrorDecisionTest {

    private static final Placement SHARE = new Placement(true, "on a fuse.smbnetfs mount at /mnt/x");
    private static final Placement LOCAL = new Placement(false, "on a local ext4 filesystem at /");
    private static final Placement UNC = new Placement(true, "a UNC path");

    @Test
    void trueAlwaysMirrors() {
        assertEquals(new MirrorDecision(true, "mirrored: enable_cache is true"),
                MirrorDecision.decide(EnableCache.TRUE, LOCAL));
        assertEquals(new MirrorDecision(true, "mirrored: enable_cache is true"),
                MirrorDecision.decide(EnableCache.TRUE, SHARE));
    }

    @Test
    void falseNeverMirrors() {
        assertEquals(new MirrorDecision(false, "direct: enable_cache is false"),
                MirrorDecision.decide(EnableCache.FALSE, SHARE));
        assertEquals(new MirrorDecision(false, "direct: enable_cache is false"),
                MirrorDecision.decide(EnableCache.FALSE, LOCAL));
    }

    @Test
    void autoMirrorsExactlyNetworkPaths() {
        assertEquals(new MirrorDecision(true,
                        "mirrored: enable_cache is auto and the path is on a fuse.smbnetfs mount at /mnt/x"),
                MirrorDecision.decide(EnableCache.AUTO, SHARE));
        assertEquals(new MirrorDecision(true, "mirrored: enable_cache is auto and the path is a UNC path"),
                MirrorDecision.decide(EnableCache.AUTO, UNC));
        assertEquals(new MirrorDecision(false,
                        "direct: enable_cache is auto and the path is on a local ext4 filesystem at /"),
                MirrorDecision.decide(EnableCache.AUTO, LOCAL));
    }
}
