package io.sharemirror.config;

import io.sharemirror.paths.PathShape;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Tells whether two database locations, however they are spelled, name the same file. */
final class SameFile {

    private SameFile() {
    }

    /**
     * A text equal for two locations of the same file: a UNC or drive path as Windows compares them, any other the real
     * path of a file that exists (links followed), or the path itself.
     */
    static String key(String location) {
        if (PathShape.of(location).windows()) {
            return PathShape.windowsKey(location);
        }
        Path p = Path.of(location);
        try {
            if (Files.exists(p)) {
                return p.toRealPath().toString();
            }
        } catch (IOException | SecurityException e) {
            // fall through to the path as it is
        }
        return p.toString();
    }
}
