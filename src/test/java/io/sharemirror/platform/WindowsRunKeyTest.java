package io.sharemirror.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The Run-key mechanism against a fake reg.exe that splits its arguments as the Microsoft C runtime does.
 * Not run on Windows: what is verified is the argument list handed to reg.exe and the parsing of its output.
 */
class WindowsRunKeyTest {

    private static final LaunchCommand COMMAND = new LaunchCommand(List.of(
            "C:\\Program Files\\ShareMirror\\ShareMirror.exe", "run", "--config",
            "C:\\Users\\Jo Doe\\AppData\\Roaming\\ShareMirror\\config.yaml"));

    /** The registry as reg.exe shows it: {@code key\name} to type and data. */
    static final class FakeReg implements CommandRunner {
        final Map<String, String[]> values = new HashMap<>();
        final List<List<String>> ran = new ArrayList<>();

        @Override
        public Result run(List<String> command, Duration timeout) {
            ran.add(command);
            String key = command.get(2);
            String name = command.get(4);
            String[] value = values.get(key + "\\" + name);
            switch (command.get(1)) {
                case "query" -> {
                    return value == null ? notFound() : new Result(0, "\r\n" + key.replace("HKCU", "HKEY_CURRENT_USER")
                            + "\r\n    " + name + "    " + value[0] + "    " + value[1] + "\r\n\r\n", "");
                }
                case "add" -> {
                    // reg.exe receives the /d argument exactly as given (it is fully quoted) and splits it itself
                    List<String> data = MsvcrtSplit.split(command.get(8));
                    assertEquals(1, data.size(), "the /d argument must reach reg.exe as one argument: " + data);
                    values.put(key + "\\" + name, new String[] {command.get(6), data.get(0)});
                    return new Result(0, "The operation completed successfully.\r\n", "");
                }
                case "delete" -> {
                    return values.remove(key + "\\" + name) == null ? notFound()
                            : new Result(0, "The operation completed successfully.\r\n", "");
                }
                default -> throw new AssertionError("unexpected reg command " + command);
            }
        }

        private static Result notFound() {
            return new Result(1, "", "ERROR: The system was unable to find the specified registry key or value.\r\n");
        }
    }

    @Test
    void enableGivesRegExactlyTheseArguments() throws Exception {
        FakeReg reg = new FakeReg();
        new WindowsRunKey(reg).enable(COMMAND);

        assertEquals(List.of("reg", "add", "HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Run",
                "/v", "ShareMirror", "/t", "REG_SZ", "/d",
                "\"\\\"C:\\Program Files\\ShareMirror\\ShareMirror.exe\\\" run --config"
                        + " \\\"C:\\Users\\Jo Doe\\AppData\\Roaming\\ShareMirror\\config.yaml\\\"\"", "/f"),
                reg.ran.get(0));
        assertEquals("\"C:\\Program Files\\ShareMirror\\ShareMirror.exe\" run --config"
                        + " \"C:\\Users\\Jo Doe\\AppData\\Roaming\\ShareMirror\\config.yaml\"",
                reg.values.get(WindowsRunKey.RUN_KEY + "\\ShareMirror")[1]);
        assertEquals(COMMAND.arguments(), MsvcrtSplit.split(reg.values.get(WindowsRunKey.RUN_KEY + "\\ShareMirror")[1]));
    }

    @Test
    void enableIsEnabledDisableRoundTripIsIdempotent() throws Exception {
        FakeReg reg = new FakeReg();
        WindowsRunKey key = new WindowsRunKey(reg);
        assertFalse(key.isEnabled());
        key.disable(); // nothing to delete: no reg delete run, no error
        assertTrue(reg.ran.stream().noneMatch(c -> c.get(1).equals("delete")));

        key.enable(COMMAND);
        key.enable(COMMAND);
        assertTrue(key.isEnabled());
        assertEquals(1, reg.values.size());

        key.disable();
        key.disable();
        assertFalse(key.isEnabled());
        assertEquals(Map.of(), reg.values);
    }

    @Test
    void switchedOffInTaskManagerIsNotEnabledAndEnablingClearsThatRecord() throws Exception {
        FakeReg reg = new FakeReg();
        WindowsRunKey key = new WindowsRunKey(reg);
        key.enable(COMMAND);
        reg.values.put(WindowsRunKey.APPROVED_KEY + "\\ShareMirror", new String[] {"REG_BINARY", "03000000D40D438DC83BD901"});
        assertFalse(key.isEnabled());

        key.enable(COMMAND);
        assertFalse(reg.values.containsKey(WindowsRunKey.APPROVED_KEY + "\\ShareMirror"));
        assertTrue(key.isEnabled());

        reg.values.put(WindowsRunKey.APPROVED_KEY + "\\ShareMirror", new String[] {"REG_BINARY", "020000000000000000000000"});
        assertTrue(key.isEnabled());
    }

    @Test
    void aFailingRegIsReportedWithItsMessage() {
        CommandRunner denied = (command, timeout) -> command.get(1).equals("query")
                ? new CommandRunner.Result(1, "", "ERROR: not found")
                : new CommandRunner.Result(1, "", "ERROR: Access is denied.\r\n");
        IOException e = assertThrows(IOException.class, () -> new WindowsRunKey(denied).enable(COMMAND));
        assertEquals("reg add HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Run failed (exit code 1):"
                + " ERROR: Access is denied.", e.getMessage());
    }

    @Test
    void locationNamesTheKeyAndValue() {
        assertEquals("HKEY_CURRENT_USER\\Software\\Microsoft\\Windows\\CurrentVersion\\Run, value ShareMirror",
                new WindowsRunKey(new FakeReg()).location());
    }

    @Test
    void commandLineQuotingSurvivesTheCRuntimesSplitting() {
        List<List<String>> cases = List.of(
                List.of("C:\\Program Files\\x.exe", "plain"),
                List.of("C:\\dir with space\\", "trailing backslash"),
                List.of("say \"hi\"", "a\\\\\"b", ""),
                List.of("\\\\server\\share\\db.sqlite", "tab\there"));
        for (List<String> arguments : cases) {
            String line = WindowsCommandLine.join(arguments);
            assertEquals(arguments, MsvcrtSplit.split(line), line);
            assertEquals(List.of(line), MsvcrtSplit.split(WindowsCommandLine.quoteAlways(line)), line);
        }
        assertEquals("C:\\plain\\path.exe", WindowsCommandLine.join(List.of("C:\\plain\\path.exe")));
    }

    @Test
    void regOutputParsing() {
        String out = "\r\nHKEY_CURRENT_USER\\Software\\Microsoft\\Windows\\CurrentVersion\\Run\r\n"
                + "    ShareMirror    REG_SZ    \"C:\\Program Files\\ShareMirror\\ShareMirror.exe\" run\r\n"
                + "    Empty    REG_SZ\r\n\r\n";
        assertEquals("\"C:\\Program Files\\ShareMirror\\ShareMirror.exe\" run",
                RegOutput.value(out, "sharemirror").orElseThrow());
        assertEquals("", RegOutput.value(out, "Empty").orElseThrow());
        assertTrue(RegOutput.value(out, "Other").isEmpty());
        assertTrue(WindowsRunKey.switchedOff("07000000"));
        assertFalse(WindowsRunKey.switchedOff("06000000"));
        assertFalse(WindowsRunKey.switchedOff("zz"));
    }

    /** How the Microsoft C runtime splits a command line into argv (the documented rules, for checking only). */
    static final class MsvcrtSplit {
        static List<String> split(String line) {
            List<String> arguments = new ArrayList<>();
            StringBuilder current = new StringBuilder();
            boolean quoted = false;
            boolean started = false;
            for (int i = 0; i < line.length(); ) {
                char c = line.charAt(i);
                if (c == '\\') {
                    int n = 0;
                    while (i < line.length() && line.charAt(i) == '\\') {
                        n++;
                        i++;
                    }
                    boolean beforeQuote = i < line.length() && line.charAt(i) == '"';
                    current.append("\\".repeat(beforeQuote ? n / 2 : n));
                    if (beforeQuote && n % 2 == 1) {
                        current.append('"');
                        i++;
                    }
                    started = true;
                } else if (c == '"') {
                    quoted = !quoted;
                    started = true;
                    i++;
                } else if ((c == ' ' || c == '\t') && !quoted) {
                    if (started) {
                        arguments.add(current.toString());
                        current.setLength(0);
                        started = false;
                    }
                    i++;
                } else {
                    current.append(c);
                    started = true;
                    i++;
                }
            }
            if (started) {
                arguments.add(current.toString());
            }
            return arguments;
        }
    }
}
