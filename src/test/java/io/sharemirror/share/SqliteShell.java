package io.sharemirror.share;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** The real sqlite3 shell: another process on the same database, running SQL or holding the write lock. */
public final class SqliteShell implements AutoCloseable {

    private final Process process;
    private final Writer in;

    private SqliteShell(Process process) {
        this.process = process;
        this.in = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
    }

    /** Runs SQL in a sqlite3 process; the result tells whether it worked and what it printed. */
    static Command run(Path db, String sql) {
        return Command.run("sqlite3", "-batch", db.toString(), sql);
    }

    /** Runs SQL in a sqlite3 process, which must succeed, and returns what it printed. */
    public static String query(Path db, String sql) {
        Command run = run(db, sql);
        if (!run.ok()) {
            throw new AssertionError(run.toString());
        }
        return run.output();
    }

    /**
     * Starts {@code sqlite3 db}, runs BEGIN IMMEDIATE and an insert, and returns once the shell holds the lock. Like
     * any real writer it waits up to 10 s on a busy database, so its COMMIT outlasts a reader's shared lock.
     */
    public static SqliteShell holdingWriteLock(Path db, String insert) throws IOException {
        return holding(db, "BEGIN IMMEDIATE;\n" + insert + ";\n", "write lock");
    }

    /**
     * Starts {@code sqlite3 db}, runs BEGIN and a query, and returns once the shell holds the shared lock that its
     * open read transaction keeps until {@link #commit}; it waits up to 10 s for a writer to let it in.
     */
    public static SqliteShell holdingReadLock(Path db, String query) throws IOException {
        return holding(db, "BEGIN;\n" + query + ";\n", "read lock");
    }

    private static SqliteShell holding(Path db, String sql, String lock) throws IOException {
        Process p = new ProcessBuilder("sqlite3", "-batch", "-bail", db.toString()).redirectErrorStream(true).start();
        SqliteShell shell = new SqliteShell(p);
        // Either lock waits up to 10 s on a busy database, as a real client with a busy timeout does.
        shell.send(".timeout 10000\n" + sql + "SELECT 'holding';\n");
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        StringBuilder printed = new StringBuilder();
        for (String line = out.readLine(); !"holding".equals(line); line = out.readLine()) {
            if (line == null) {
                shell.close();
                throw new IllegalStateException("sqlite3 did not take the " + lock + " on " + db + ": " + printed);
            }
            printed.append(line).append('\n');
        }
        return shell;
    }

    /** Commits and quits; returns the shell's exit code. */
    public int commit() throws IOException, InterruptedException {
        send("COMMIT;\n.quit\n");
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("sqlite3 did not quit");
        }
        return process.exitValue();
    }

    private void send(String text) throws IOException {
        in.write(text);
        in.flush();
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }
}
