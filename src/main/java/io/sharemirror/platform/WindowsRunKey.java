package io.sharemirror.platform;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Windows: a value in this user's {@code Run} registry key, written with {@code reg.exe}.
 *
 * <p>Chosen over a Startup-folder shortcut because a shortcut is a binary .lnk that only the Windows shell
 * (COM) writes well, while reg.exe is on every Windows, needs no administrator rights under HKCU, and the
 * entry appears in Task Manager's Startup tab and in Settings, where users expect to manage it. When the user
 * switches it off there, Windows keeps the Run value and records the choice under {@code StartupApproved\Run};
 * {@link #isEnabled()} honours that record and {@link #enable} clears it.
 */
final class WindowsRunKey extends StartAtLogin {

    static final String RUN_KEY = "HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Run";
    static final String APPROVED_KEY = "HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Explorer\\StartupApproved\\Run";
    static final String VALUE_NAME = "ShareMirror";
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final CommandRunner runner;

    WindowsRunKey(CommandRunner runner) {
        this.runner = runner;
    }

    @Override
    public boolean isEnabled() throws IOException {
        if (!query(RUN_KEY).succeeded()) {
            return false;
        }
        CommandRunner.Result approval = query(APPROVED_KEY);
        return !approval.succeeded()
                || RegOutput.value(approval.out(), VALUE_NAME).map(data -> !switchedOff(data)).orElse(true);
    }

    @Override
    public void enable(LaunchCommand command) throws IOException {
        String commandLine = WindowsCommandLine.join(command.arguments());
        reg("add", RUN_KEY, "/v", VALUE_NAME, "/t", "REG_SZ", "/d", WindowsCommandLine.quoteAlways(commandLine), "/f");
        if (query(APPROVED_KEY).succeeded()) {
            reg("delete", APPROVED_KEY, "/v", VALUE_NAME, "/f"); // without a record Windows runs the entry
        }
    }

    @Override
    public void disable() throws IOException {
        if (query(RUN_KEY).succeeded()) {
            reg("delete", RUN_KEY, "/v", VALUE_NAME, "/f");
        }
    }

    @Override
    public String location() {
        return RUN_KEY.replace("HKCU\\", "HKEY_CURRENT_USER\\") + ", value " + VALUE_NAME;
    }

    /**
     * Whether a StartupApproved record says "off". The format is undocumented; what Task Manager is seen to
     * write is 12 bytes, the first 02 or 06 for on and 03 or 07 for off (the rest a time stamp): the low bit.
     */
    static boolean switchedOff(String hexData) {
        return hexData.length() >= 2 && Character.digit(hexData.charAt(1), 16) % 2 == 1;
    }

    /** {@code reg query <key> /v ShareMirror}: exit code 0 when the value exists, 1 when it does not. */
    private CommandRunner.Result query(String key) throws IOException {
        return runner.run(List.of("reg", "query", key, "/v", VALUE_NAME), TIMEOUT);
    }

    private void reg(String... arguments) throws IOException {
        List<String> command = new ArrayList<>(List.of("reg"));
        command.addAll(List.of(arguments));
        CommandRunner.Result result = runner.run(command, TIMEOUT);
        if (!result.succeeded()) {
            throw new IOException("reg " + arguments[0] + " " + arguments[1] + " failed (exit code "
                    + result.exitCode() + "): " + (result.err().strip() + " " + result.out().strip()).strip());
        }
    }
}
