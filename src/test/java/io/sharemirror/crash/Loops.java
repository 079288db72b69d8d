package io.sharemirror.crash;

import java.util.ArrayList;
import java.util.List;

/** Background threads that repeat a step until closed, as a direct writer or a long reader does; a failure is reported. */
final class Loops implements AutoCloseable {

    @FunctionalInterface
    interface Step {
        void run() throws Exception;
    }

    private final List<String> problems;
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean running = true;

    /** @param problems where a step that throws is reported (its thread then ends): a problem of the test run */
    Loops(List<String> problems) {
        this.problems = problems;
    }

    void start(String name, Step step) {
        Thread t = new Thread(() -> {
            while (running) {
                try {
                    step.run();
                } catch (Exception e) {
                    problems.add(name + ": " + e);
                    return;
                }
            }
        }, name);
        t.setDaemon(true);
        threads.add(t);
        t.start();
    }

    /** Stops every loop after its current step. */
    @Override
    public void close() throws InterruptedException {
        running = false;
        for (Thread t : threads) {
            t.join(30_000);
        }
    }
}
