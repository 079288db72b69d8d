package io.sharemirror.platform;

import io.sharemirror.paths.PathShape;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;

/**
 * Tells whether a database path lies on a network filesystem, so that {@code enable_cache: auto}
 * mirrors network paths and opens local ones directly.
 */
public final class NetworkPaths {

    /**
     * Where a path lies.
     *
     * @param network true for a share or a network mount
     * @param reason a phrase that reads after "the path is", e.g. "on a cifs mount at /mnt/share"
     */
    public record Placement(boolean network, String reason) {
    }

    static final Path MOUNTINFO = Path.of("/proc/self/mountinfo");

    private static final Set<String> NETWORK_TYPES = Set.of(
            "cifs", "smb", "smb2", "smb3", "smbfs", "nfs", "nfs4", "afs", "ceph", "glusterfs", "9p", "davfs",
            "ncpfs", "webdav", "afpfs",
            "fuse.sshfs", "fuse.smbnetfs", "fuse.rclone", "fuse.s3fs", "fuse.davfs2", "fuse.gvfsd-fuse",
            "fuse.glusterfs");

    private NetworkPaths() {
    }

    /** Classifies a database location (a {@code DatabaseConfig.location()}). Never throws. */
    public static Placement classify(String location) {
        return classify(location, System.getProperty("os.name", ""), null);
    }

    /**
     * Like {@link #classify(String)}, with the OS name and the text of {@code /proc/self/mountinfo}
     * given; a null {@code mountinfo} reads the real one on Linux.
     */
    static Placement classify(String location, String osName, String mountinfo) {
        PathShape shape = PathShape.of(location);
        if (shape == PathShape.UNC) {
            return new Placement(true, "a UNC path");
        }
        if (shape == PathShape.POSTGRES) {
            return new Placement(true, "a PostgreSQL server");
        }
        boolean windows = osName.toLowerCase(Locale.ROOT).startsWith("windows");
        if (shape == PathShape.DRIVE) {
            return windows ? classifyDrive(location)
                    : new Placement(false, "a Windows drive path, which cannot be checked on this system");
        }
        Path path;
        try {
            path = Path.of(location).toAbsolutePath().normalize();
        } catch (InvalidPathException e) {
            return new Placement(false, "not a valid path here, so it could not be checked");
        }
        if (windows) {
            return classifyWithFileStore(path);
        }
        String table = mountinfo;
        if (table == null && osName.toLowerCase(Locale.ROOT).contains("linux")) {
            table = readMountinfo();
        }
        Path resolved = resolveExisting(path);
        if (table != null) {
            Mount m = findMount(table, resolved);
            if (m != null) {
                return placement(m.type(), m.source(), m.mountPoint());
            }
        }
        return classifyWithFileStore(resolved);
    }

    /** Is this the type of a network filesystem? {@code source} helps with a bare "fuse" type. */
    static boolean isNetworkType(String type, String source) {
        String t = type.toLowerCase(Locale.ROOT);
        if (NETWORK_TYPES.contains(t)) {
            return true;
        }
        if (t.startsWith("fuse.")) {
            return containsNetworkWord(t.substring("fuse.".length()));
        }
        if ((t.equals("fuse") || t.equals("fuseblk")) && source != null) {
            return containsNetworkWord(source.toLowerCase(Locale.ROOT));
        }
        return false;
    }

    private static boolean containsNetworkWord(String s) {
        return s.contains("smb") || s.contains("cifs") || s.contains("nfs") || s.contains("ssh");
    }

    private static Placement placement(String type, String source, String mountPoint) {
        return isNetworkType(type, source)
                ? new Placement(true, "on a " + type + " mount at " + mountPoint)
                : new Placement(false, "on a local " + type + " filesystem at " + mountPoint);
    }

    // ------------------------------------------------------------------ Linux: mountinfo

    /** One line of mountinfo: where, what type, mounted from what. */
    record Mount(String mountPoint, String type, String source) {
    }

    /**
     * The mount that holds {@code path}: the longest mount point that is {@code path} or one of its
     * ancestors; of equal ones the last listed, which is the one on top.
     */
    static Mount findMount(String mountinfo, Path path) {
        Mount best = null;
        int bestDepth = -1;
        for (String line : mountinfo.split("\n")) {
            Mount m = parseLine(line);
            if (m == null) {
                continue;
            }
            Path mp;
            try {
                mp = Path.of(m.mountPoint());
            } catch (InvalidPathException e) {
                continue;
            }
            if (!mp.isAbsolute() || !path.startsWith(mp)) {
                continue;
            }
            int depth = mp.getNameCount();
            if (depth >= bestDepth) {
                best = m;
                bestDepth = depth;
            }
        }
        return best;
    }

    /**
     * Parses {@code 36 35 98:0 /mnt1 /mnt/parent rw,noatime master:1 - ext3 /dev/root rw}: the fifth
     * field is the mount point, the two after the lone "-" are type and source. Null if malformed.
     */
    static Mount parseLine(String line) {
        String[] f = line.strip().split(" +");
        if (f.length < 7) {
            return null;
        }
        int dash = -1;
        for (int i = 6; i < f.length; i++) {
            if (f[i].equals("-")) {
                dash = i;
                break;
            }
        }
        if (dash < 0 || dash + 1 >= f.length) {
            return null;
        }
        String source = dash + 2 < f.length ? unescape(f[dash + 2]) : "";
        return new Mount(unescape(f[4]), unescape(f[dash + 1]), source);
    }

    /** Undoes the kernel's octal escapes ({@code \040} space, {@code \011} tab, {@code \012}, {@code \134}). */
    static String unescape(String s) {
        if (s.indexOf('\\') < 0) {
            return s;
        }
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && isOctal(s, i + 1)) {
                sb.append((char) Integer.parseInt(s.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    private static boolean isOctal(String s, int from) {
        if (from + 3 > s.length()) {
            return false;
        }
        for (int i = from; i < from + 3; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '7') {
                return false;
            }
        }
        return true;
    }

    private static String readMountinfo() {
        try {
            return Files.readString(MOUNTINFO, StandardCharsets.UTF_8);
        } catch (IOException | SecurityException | java.io.UncheckedIOException e) {
            return null;
        }
    }

    /**
     * The path with its nearest existing ancestor replaced by that ancestor's real path (symbolic
     * links followed), so a file that does not exist yet is placed where it would be created.
     */
    static Path resolveExisting(Path path) {
        Path existing = path;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing == null) {
            return path;
        }
        try {
            Path real = existing.toRealPath();
            return real.resolve(existing.relativize(path)).normalize();
        } catch (IOException | SecurityException e) {
            return path;
        }
    }

    // ------------------------------------------------------------------ elsewhere: FileStore

    private static Placement classifyWithFileStore(Path path) {
        Path existing = path;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing == null) {
            return new Placement(false, "not found, so its filesystem could not be checked");
        }
        try {
            FileStore store = Files.getFileStore(existing);
            return placement(store.type(), store.name(), mountPointOf(store, existing));
        } catch (IOException | SecurityException e) {
            return new Placement(false, "on a filesystem that could not be checked (" + e.getMessage() + ")");
        }
    }

    /** Unix FileStores print as "/mount/point (source)". */
    private static String mountPointOf(FileStore store, Path fallback) {
        String s = store.toString();
        int paren = s.lastIndexOf(" (");
        return paren > 0 && s.startsWith("/") ? s.substring(0, paren) : fallback.toString();
    }

    private static Placement classifyDrive(String location) {
        String drive = location.substring(0, 2).toUpperCase(Locale.ROOT);
        try {
            FileStore store = Files.getFileStore(Path.of(drive + "\\"));
            if (isNetworkType(store.type(), store.name())) {
                return new Placement(true, "on a " + store.type() + " network drive " + drive);
            }
            if (store.supportsFileAttributeView("volume")) {
                Object remote = store.getAttribute("volume:isRemote");
                if (Boolean.TRUE.equals(remote)) {
                    return new Placement(true, "on the network drive " + drive);
                }
                if (Boolean.FALSE.equals(remote)) {
                    return new Placement(false, "on the local " + store.type() + " drive " + drive);
                }
            }
            return new Placement(false, "on drive " + drive + " (" + store.type() + "), which could not be told"
                    + " apart from a network drive; set enable_cache: true if it is a share");
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException | SecurityException e) {
            return new Placement(false, "on drive " + drive + ", which could not be checked; set"
                    + " enable_cache: true if it is a share");
        }
    }
}
