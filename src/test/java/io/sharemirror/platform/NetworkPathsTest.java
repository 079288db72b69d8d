package io.sharemirror.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.sharemirror.platform.NetworkPaths.Mount;
import io.sharemirror.platform.NetworkPaths.Placement;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NetworkPathsTest {

    /** A mount table in /proc/self/mountinfo format; "/" is not the first line, as on real systems. */
    static final String MOUNTINFO = String.join("\n",
            "22 27 0:21 / /proc rw,relatime - proc proc rw",
            "27 1 254:0 / / rw,relatime shared:1 - ext4 /dev/vda rw,discard",
            "30 27 0:40 / /mnt/share rw,relatime shared:5 - cifs //server/share rw,vers=3.0,cache=strict",
            "31 27 0:41 / /mnt/smb rw,nosuid,nodev,relatime shared:6 - fuse.smbnetfs smbnetfs rw,user_id=0",
            "32 27 0:42 / /net/home rw,relatime shared:7 master:3 - nfs4 server:/export/home rw,vers=4.2",
            "33 27 0:43 / /mnt/my\\040disk\\011x rw,relatime - tmpfs tmpfs rw,size=4k",
            "34 30 8:17 / /mnt/share/local rw - ext4 /dev/sdb1 rw",
            "35 27 0:45 / /mnt/ssh rw - fuse.sshfs me@host:/ rw",
            "36 27 0:46 / /mnt/bridge rw - fuse.mycifsbridge bridge rw",
            "37 27 0:47 / /mnt/oldfuse rw - fuse sshfs#me@host: rw",
            "38 27 0:48 / /mnt/pool rw - fuse.mergerfs pool rw",
            "39 27 0:49 / /mnt/stack rw - ext4 /dev/sdc1 rw",
            "40 39 0:50 / /mnt/stack rw - smb3 //nas/stack rw",
            "garbage line",
            "");

    private static Placement onLinux(String path) {
        return NetworkPaths.classify(path, "Linux", MOUNTINFO);
    }

    @Test
    void uncPathsAreNetworkWhateverTheSystem() {
        for (String os : new String[] {"Linux", "Windows 11", "Mac OS X"}) {
            assertEquals(new Placement(true, "a UNC path"),
                    NetworkPaths.classify("\\\\server\\share\\app.db", os, MOUNTINFO));
            assertEquals(new Placement(true, "a UNC path"),
                    NetworkPaths.classify("//server/share/dir/app.db", os, MOUNTINFO));
        }
        assertEquals(new Placement(true, "a UNC path"), NetworkPaths.classify("\\\\server\\share\\app.db"));
    }

    @Test
    void aPostgresqlServerIsNetworkWhateverTheSystem() {
        for (String os : new String[] {"Linux", "Windows 11", "Mac OS X"}) {
            assertEquals(new Placement(true, "a PostgreSQL server"),
                    NetworkPaths.classify("postgresql://db:5432/app", os, MOUNTINFO));
        }
    }

    @Test
    void cifsMountIsNetwork() {
        assertEquals(new Placement(true, "on a cifs mount at /mnt/share"), onLinux("/mnt/share/sales/app.db"));
        assertEquals(new Placement(true, "on a cifs mount at /mnt/share"), onLinux("/mnt/share"));
    }

    @Test
    void fuseSmbnetfsMountIsNetwork() {
        assertEquals(new Placement(true, "on a fuse.smbnetfs mount at /mnt/smb"),
                onLinux("/mnt/smb/WORKGROUP/server/share/app.db"));
    }

    @Test
    void nfs4MountIsNetwork() {
        assertEquals(new Placement(true, "on a nfs4 mount at /net/home"), onLinux("/net/home/me/app.db"));
    }

    @Test
    void ext4RootIsLocal() {
        assertEquals(new Placement(false, "on a local ext4 filesystem at /"), onLinux("/var/lib/app/app.db"));
    }

    @Test
    void escapedMountPointIsUnescaped() {
        assertEquals(new Placement(false, "on a local tmpfs filesystem at /mnt/my disk\tx"),
                onLinux("/mnt/my disk\tx/app.db"));
        assertEquals("/mnt/my disk\tx", NetworkPaths.parseLine(MOUNTINFO.lines().toList().get(5)).mountPoint());
        assertEquals("a\\b c\\", NetworkPaths.unescape("a\\134b\\040c\\"));
    }

    @Test
    void longestMountPointWinsEvenWhenNestedInAShare() {
        assertEquals(new Placement(false, "on a local ext4 filesystem at /mnt/share/local"),
                onLinux("/mnt/share/local/app.db"));
        // a sibling with the same prefix as text is not inside the mount
        assertEquals(new Placement(false, "on a local ext4 filesystem at /"), onLinux("/mnt/shared/app.db"));
    }

    @Test
    void laterMountOnTheSamePointHidesTheEarlierOne() {
        assertEquals(new Placement(true, "on a smb3 mount at /mnt/stack"), onLinux("/mnt/stack/app.db"));
    }

    @Test
    void fuseTypesAreNetworkWhenTheirNameSaysSo() {
        assertTrue(onLinux("/mnt/ssh/app.db").network());
        assertTrue(onLinux("/mnt/bridge/app.db").network());
        assertEquals(new Placement(true, "on a fuse mount at /mnt/oldfuse"), onLinux("/mnt/oldfuse/app.db"));
        assertEquals(new Placement(false, "on a local fuse.mergerfs filesystem at /mnt/pool"),
                onLinux("/mnt/pool/app.db"));
    }

    @Test
    void networkTypeList() {
        for (String t : new String[] {"cifs", "smb3", "smbfs", "nfs", "nfs4", "afs", "ceph", "glusterfs", "9p",
                "davfs", "fuse.sshfs", "fuse.smbnetfs", "fuse.rclone", "fuse.s3fs", "fuse.davfs2",
                "fuse.gvfsd-fuse", "webdav", "afpfs", "fuse.my-nfs-thing", "NFS4"}) {
            assertTrue(NetworkPaths.isNetworkType(t, ""), t);
        }
        for (String t : new String[] {"ext4", "xfs", "btrfs", "tmpfs", "overlay", "apfs", "NTFS", "fuse.mergerfs",
                "fuse", "vfat"}) {
            assertFalse(NetworkPaths.isNetworkType(t, "/dev/sda1"), t);
        }
    }

    @Test
    void parseLineHandlesOptionalFieldsAndRejectsGarbage() {
        Mount m = NetworkPaths.parseLine(
                "32 27 0:42 / /net/home rw,relatime shared:7 master:3 - nfs4 server:/export/home rw");
        assertEquals(new Mount("/net/home", "nfs4", "server:/export/home"), m);
        assertNull(NetworkPaths.parseLine("garbage line"));
        assertNull(NetworkPaths.parseLine("1 2 3:4 / /x rw no-separator-here ext4"));
    }

    @Test
    void missingFileIsPlacedByItsNearestExistingFolder(@TempDir Path dir) throws Exception {
        Path real = dir.toRealPath();
        String table = "1 0 8:1 / / rw - ext4 /dev/sda1 rw\n"
                + "2 1 0:9 / " + real.toString().replace(" ", "\\040") + " rw - cifs //nas/x rw\n";
        Placement p = NetworkPaths.classify(dir.resolve("not/yet/there.db").toString(), "Linux", table);
        assertEquals(new Placement(true, "on a cifs mount at " + real), p);
    }

    @Test
    void symbolicLinksAreFollowedToTheRealMount(@TempDir Path dir) throws Exception {
        Path target = Files.createDirectory(dir.resolve("target")).toRealPath();
        Path link = Files.createSymbolicLink(dir.resolve("link"), target);
        String table = "1 0 8:1 / / rw - ext4 /dev/sda1 rw\n"
                + "2 1 0:9 / " + target + " rw - fuse.smbnetfs smbnetfs rw\n";
        assertEquals(new Placement(true, "on a fuse.smbnetfs mount at " + target),
                NetworkPaths.classify(link.resolve("app.db").toString(), "Linux", table));
    }

    @Test
    void windowsDrivePathOnAnotherSystemCannotBeChecked() {
        Placement p = onLinux("Z:\\apps\\app.db");
        assertFalse(p.network());
        assertTrue(p.reason().contains("Windows drive path"), p.reason());
    }

    @Test
    void thisMachinesTempFolderIsLocal(@TempDir Path dir) {
        assumeTrue(System.getProperty("os.name").toLowerCase().contains("linux"), "reads /proc/self/mountinfo");
        Placement p = NetworkPaths.classify(dir.resolve("app.db").toString());
        assertFalse(p.network(), p.reason());
        assertTrue(p.reason().startsWith("on a local "), p.reason());
    }

    @Test
    void fileStoreFallbackWhenThereIsNoMountTable(@TempDir Path dir) {
        Placement p = NetworkPaths.classify(dir.resolve("app.db").toString(), "FreeBSD", null);
        assertFalse(p.network(), p.reason());
        assertTrue(p.reason().startsWith("on a local "), p.reason());
    }}
