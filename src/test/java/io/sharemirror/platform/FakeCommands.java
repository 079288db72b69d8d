package io.sharemirror.platform;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Answers OS commands from a table and records each one run; a command not in the table is "not installed". */
final class FakeCommands implements CommandRunner {

    final List<List<String>> ran = new ArrayList<>();
    private final Map<List<String>, Result> answers = new HashMap<>();

    FakeCommands answer(List<String> command, int exitCode, String out) {
        answers.put(command, new Result(exitCode, out, exitCode == 0 ? "" : "error"));
        return this;
    }

    @Override
    public Result run(List<String> command, Duration timeout) throws IOException {
        ran.add(command);
        Result answer = answers.get(command);
        if (answer == null) {
            throw new IOException("Cannot run program \"" + command.get(0) + "\": error=2, No such file or directory");
        }
        return answer;
    }
}
