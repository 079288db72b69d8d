package io.sharemirror.platform;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Start at Login through one file the OS reads at login: written whole to enable, deleted to disable. */
abstract sealed class LoginItemFile extends StartAtLogin permits XdgAutostart, MacLaunchAgent {

    final Path file;

    LoginItemFile(Path file) {
        this.file = file;
    }

    /** The file's whole text for this command. */
    abstract String content(LaunchCommand command);

    @Override
    public void enable(LaunchCommand command) throws IOException {
        SafeFiles.writeAtomically(file, content(command));
    }

    @Override
    public void disable() throws IOException {
        Files.deleteIfExists(file);
    }

    @Override
    public String location() {
        return file.toString();
    }
}
