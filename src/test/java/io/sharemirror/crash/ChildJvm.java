package io.sharemirror.crash;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** The command line of the lean child JVMs the crash, power-loss, contention and soak tests start. */
final class ChildJvm {

    private ChildJvm() {
    }

    /**
     * C1 only, serial GC, no perf data; sqlite-jdbc's native library extracted once into {@code dir}. The class
     * path is this JVM's, with its class folders copied into {@code dir} first: a build running meanwhile in the
     * same checkout (target/classes is shared) must not pull classes from under children that start later.
     */
    static List<String> options(Path dir) throws IOException {
        Path tmp = Files.createDirectories(dir.resolve("tmp"));
        List<String> options = new ArrayList<>(List.of("-Xmx256m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                "-XX:-UsePerfData", "-Xshare:auto", "-Djava.io.tmpdir=" + tmp));
        List<String> classPath = new ArrayList<>();
        int copies = 0;
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path source = Path.of(entry);
            if (Files.isDirectory(source)) {
                Path copy = dir.resolve("classpath").resolve(String.valueOf(copies++));
                copyTree(source, copy);
                classPath.add(copy.toString());
            } else {
                classPath.add(entry);
            }
        }
        options.add("-cp");
        options.add(String.join(File.pathSeparator, classPath));
        preloadEngine();
        try {
            String folder = org.sqlite.util.LibraryLoaderUtil.getNativeLibResourcePath();
            String name = org.sqlite.util.LibraryLoaderUtil.getNativeLibName();
            try (InputStream in = org.sqlite.SQLiteJDBCLoader.class.getResourceAsStream(folder + "/" + name)) {
                if (in != null) {
                    Path nativeDir = Files.createDirectories(dir.resolve("native"));
                    Files.copy(in, nativeDir.resolve(name));
                    options.add("-Dorg.sqlite.lib.path=" + nativeDir);
                    options.add("-Dorg.sqlite.lib.name=" + name);
                }
            }
        } catch (RuntimeException | LinkageError e) {
            // each child extracts the library into its private tmp folder instead
        }
        return options;
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path p : walk.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
    }

    /**
     * Loads the engine's classes into this JVM now, for the same reason: the tests' final in-process sync needs them
     * after minutes in which a build may have replaced target/classes.
     */
    private static void preloadEngine() {
        for (String name : List.of("io.sharemirror.store.SqliteMirrorStore", "io.sharemirror.sync.Mirror")) {
            try {
                Class<?> anchor = Class.forName(name);
                Path folder = Path.of(anchor.getProtectionDomain().getCodeSource().getLocation().toURI())
                        .resolve(anchor.getPackageName().replace('.', '/'));
                try (Stream<Path> files = Files.list(folder)) {
                    for (Path f : files.filter(f -> f.toString().endsWith(".class")).toList()) {
                        String file = f.getFileName().toString();
                        Class.forName(anchor.getPackageName() + "." + file.substring(0, file.length() - 6), false,
                                anchor.getClassLoader());
                    }
                }
            } catch (Exception | LinkageError e) {
                // best effort
            }
        }
    }
}
