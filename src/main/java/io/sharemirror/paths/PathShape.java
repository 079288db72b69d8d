package io.sharemirror.paths;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * What kind of path a database path is, told from its text alone: the config file, the network-path check, the JDBC
 * driver and the hub connection must all agree on it, so this is the one place that knows the spellings.
 *
 * <p>A package of its own, depending on nothing, because {@code config}, {@code platform} and {@code store} all need it
 * and none of them may use another's classes for it.
 */
public enum PathShape {

    /**
     * {@code \\server\share\app.db} or {@code //server/share/app.db} (either separator, also mixed): a share named by
     * its server. Only Windows opens one as it is; elsewhere the share must be mounted. A server alone
     * ({@code \\server}) is one too, an incomplete one; two separators and nothing more ({@code //}, {@code ///x})
     * are not.
     */
    UNC,

    /** {@code X:\app.db}, {@code X:/app.db} or a bare {@code X:}: a Windows drive. {@code X:app.db} is not one. */
    DRIVE,

    /** {@code ~}, {@code ~/data/app.db} or {@code ~\data\app.db}: in this user's home folder. */
    HOME,

    /**
     * {@code postgresql://host/db} and whatever else {@link PostgresAddress#looksLike} takes for a PostgreSQL URL:
     * a server, not a file, so none of the file checks apply to it.
     */
    POSTGRES,

    /**
     * Anything else, in this system's own syntax: absolute, like a mount point's {@code /mnt/share/app.db} (whether
     * that is a network mount only the mount table tells), or relative to some folder.
     */
    NATIVE;

    private static final Pattern UNC_PATTERN = Pattern.compile("[\\\\/]{2}[^\\\\/]+([\\\\/].*)?", Pattern.DOTALL);
    private static final Pattern DRIVE_PATTERN = Pattern.compile("[A-Za-z]:([\\\\/].*)?", Pattern.DOTALL);

    /** The shape of {@code path} as written; never throws. */
    public static PathShape of(String path) {
        if (PostgresAddress.looksLike(path)) {
            return POSTGRES;
        }
        if (UNC_PATTERN.matcher(path).matches()) {
            return UNC;
        }
        if (DRIVE_PATTERN.matcher(path).matches()) {
            return DRIVE;
        }
        if (path.equals("~") || path.startsWith("~/") || path.startsWith("~\\")) {
            return HOME;
        }
        return NATIVE;
    }

    /** Whether this system cannot open {@code path} as written: a {@link #UNC} path anywhere but on Windows. */
    public static boolean needsMountHere(String path) {
        return of(path) == UNC && !System.getProperty("os.name", "").startsWith("Windows");
    }

    /**
     * Whether the path is Windows' own, {@link #UNC} or {@link #DRIVE}: it is kept as written, never resolved against
     * a folder of this system, and two spellings of it are compared as Windows compares them ({@link #windowsKey}).
     */
    public boolean windows() {
        return this == UNC || this == DRIVE;
    }

    /**
     * For a {@link #UNC} or {@link #DRIVE} path: a text equal for every spelling of the same file, as Windows reads
     * them. Case is ignored, {@code \} and {@code /} are one separator and repeats of it one, {@code .} is dropped,
     * and {@code ..} removes the folder before it but stays at the share's or the drive's root, as on Windows. A UNC
     * key starts with {@code //}: {@code \\FS01\Team\.\app.db} and {@code //fs01/team/APP.db} both give
     * {@code //fs01/team/app.db}.
     */
    public static String windowsKey(String path) {
        PathShape shape = of(path);
        if (!shape.windows()) {
            throw new IllegalArgumentException("not a UNC or drive path: " + path);
        }
        String prefix = shape == UNC ? "//" : "";
        int kept = shape == UNC ? 2 : 1;
        List<String> parts = new ArrayList<>();
        for (String part : path.substring(prefix.length()).split("[\\\\/]+")) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                if (parts.size() > kept) {
                    parts.remove(parts.size() - 1);
                }
                continue;
            }
            parts.add(part);
        }
        return prefix + String.join("/", parts).toLowerCase(Locale.ROOT);
    }
}
