package io.sharemirror.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/** Tells whether the file at a path is still the one a connection was opened on, with a stat. */
final class FileIdentity {

    private FileIdentity() {
    }

    /** The file's key (device and inode on Unix), or null where the platform has none. */
    static Object of(Path file) throws IOException {
        return Files.readAttributes(file, BasicFileAttributes.class).fileKey();
    }
}
