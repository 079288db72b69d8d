package io.sharemirror.platform;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a small OS tool ({@code reg.exe}, {@code gsettings}, {@code defaults}) and returns what it printed. An
 * interface so that tests answer in place of the OS and check the exact arguments.
 */
interface CommandRunner {

    /** What a finished command returned. */
    record Result(int exitCode, String out, String err) {
        boolean succeeded() {
            return exitCode == 0;
        }
    }

    /** Runs {@code command}; one still running after {@code timeout} is killed and reported as an IOException. */
    Result run(List<String> command, Duration timeout) throws IOException;

    /** The real thing: a child process with no input, its output read in the platform's charset. */
    CommandRunner SYSTEM = (command, timeout) -> {
        Process process = new ProcessBuilder(command).start();
        process.getOutputStream().close();
        Drain out = new Drain(process.getInputStream());
        Drain err = new Drain(process.getErrorStream());
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new IOException(command.get(0) + " did not finish within " + timeout.toMillis() + " ms");
            }
            return new Result(process.exitValue(), out.text(), err.text());
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for " + command.get(0), e);
        }
    };

    /** Reads one output stream on its own thread, so neither stream can fill its pipe and stall the command. */
    final class Drain {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private final Thread thread;

        Drain(InputStream in) {
            thread = new Thread(() -> {
                try (in) {
                    in.transferTo(bytes);
                } catch (IOException e) {
                    // the pipe closed under us (the command was killed): what was read so far is the output
                }
            }, "command-output");
            thread.setDaemon(true);
            thread.start();
        }

        String text() throws InterruptedException {
            thread.join(1000); // a grandchild that inherited the pipe must not hold us up
            return bytes.toString(Charset.defaultCharset());
        }
    }
}
