package io.sharemirror.app;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * One launch for SingleInstanceTest, in its own JVM: claims the instance in folder {@code args[0]}. Prints
 * {@code OWNER pid=N} then {@code ACTIVATED} per request and {@code RELEASED} when stdin ends; or
 * {@code ALREADY-RUNNING activated=B pid=N <message>} and exits 3.
 */
public final class SingleInstanceChild {

    private SingleInstanceChild() {
    }

    public static void main(String[] args) throws Exception {
        try (SingleInstance instance = SingleInstance.claim(Path.of(args[0]),
                Path.of(args[0], "config.yaml"), () -> {
                    say("ACTIVATED");
                    return true;
                })) {
            say("OWNER pid=" + ProcessHandle.current().pid());
            new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
        } catch (SingleInstance.AlreadyRunningException e) {
            say("ALREADY-RUNNING activated=" + e.activated() + " pid=" + e.pid() + " " + e.getMessage());
            System.exit(3);
        }
        say("RELEASED");
    }

    private static void say(String line) {
        System.out.println(line);
        System.out.flush();
    }
}
