package io.sharemirror.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SingleInstanceTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Path CONFIG = Path.of("/home/me/.config/sharemirror/config.yaml");

    @TempDir
    Path state;

    @Test
    void aSecondLaunchAsksTheFirstToShowItsDashboardAndGivesUp() throws Exception {
        try (JavaChild first = JavaChild.start(SingleInstanceChild.class, state.toString())) {
            first.awaitLine("OWNER", WAIT);
            try (JavaChild second = JavaChild.start(SingleInstanceChild.class, state.toString())) {
                String line = second.awaitLine("ALREADY-RUNNING", WAIT);
                assertEquals(3, second.awaitExit(WAIT));
                assertTrue(line.startsWith("ALREADY-RUNNING activated=true pid=" + first.pid() + " ShareMirror is"
                        + " already running for this user (process " + first.pid() + "); it was asked to show its"
                        + " dashboard"), line);
            }
            first.awaitLine("ACTIVATED", WAIT);

            first.send("quit");
            first.awaitLine("RELEASED", WAIT);
            assertEquals(0, first.awaitExit(WAIT));
        }
        assertFalse(Files.exists(state.resolve(SingleInstance.ADDRESS_FILE)), "a clean exit removes the address");
        try (JavaChild next = JavaChild.start(SingleInstanceChild.class, state.toString())) {
            next.awaitLine("OWNER", WAIT);
        }
    }

    @Test
    void anOwnerKilledWithSigkillDoesNotBlockTheNextStart() throws Exception {
        String staleAddress;
        try (JavaChild crashed = JavaChild.start(SingleInstanceChild.class, state.toString())) {
            crashed.awaitLine("OWNER", WAIT);
            staleAddress = Files.readString(state.resolve(SingleInstance.ADDRESS_FILE));
            crashed.kill();
            assertEquals(128 + 9, crashed.awaitExit(WAIT), "killed by SIGKILL");
        }
        assertTrue(Files.exists(state.resolve(SingleInstance.ADDRESS_FILE)), "SIGKILL leaves the address behind");

        long start = System.nanoTime();
        try (SingleInstance next = SingleInstance.claim(state, CONFIG, () -> true)) {
            assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(1), "no waiting on a dead owner");
            String address = Files.readString(state.resolve(SingleInstance.ADDRESS_FILE));
            assertNotEquals(staleAddress, address);
            assertTrue(address.lines().findFirst().orElseThrow().endsWith(" " + ProcessHandle.current().pid()), address);
        }
    }

    @Test
    void aSecondClaimInTheSameJvmActivatesTheFirst() throws Exception {
        CountDownLatch activated = new CountDownLatch(1);
        try (SingleInstance first = SingleInstance.claim(state, CONFIG, () -> {
            activated.countDown();
            return true;
        })) {
            var e = assertThrows(SingleInstance.AlreadyRunningException.class,
                    () -> SingleInstance.claim(state, CONFIG, () -> true));
            assertTrue(e.activated());
            assertEquals(ProcessHandle.current().pid(), e.pid());
            assertEquals(CONFIG, e.config().orElseThrow());
            assertTrue(activated.await(10, TimeUnit.SECONDS));
        }
    }

    @Test
    void anInstanceWithoutAWindowDoesNotClaimToShowOne() throws Exception {
        try (SingleInstance first = SingleInstance.claim(state, CONFIG, () -> false)) {
            var e = assertThrows(SingleInstance.AlreadyRunningException.class,
                    () -> SingleInstance.claim(state, CONFIG, () -> true));
            assertTrue(e.activated(), "it answered");
            assertEquals("ShareMirror is already running for this user (process " + ProcessHandle.current().pid()
                    + ") without a window (headless), so there is no dashboard to show; `status` shows its state",
                    e.getMessage());
        }
        SingleInstance.claim(state, CONFIG, () -> true).close(); // released by close
    }

    @Test
    void theAddressIsOwnerOnlyAndARequestWithoutItsTokenIsRefused() throws Exception {
        AtomicInteger activations = new AtomicInteger();
        try (SingleInstance owner = SingleInstance.claim(state, CONFIG, () -> activations.incrementAndGet() > 0)) {
            Path address = state.resolve(SingleInstance.ADDRESS_FILE);
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(address)));
            assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(state)));

            assertTrue(Files.readString(address).endsWith("\n" + CONFIG + "\n"), "the config it runs with is named");
            int port = Integer.parseInt(Files.readString(address).split(" ")[0]);
            try (Socket s = new Socket(InetAddress.getByAddress(new byte[] {127, 0, 0, 1}), port)) {
                s.getOutputStream().write("activate 0123456789abcdef0123456789abcdef\n".getBytes(StandardCharsets.UTF_8));
                ByteArrayOutputStream reply = new ByteArrayOutputStream();
                s.getInputStream().transferTo(reply);
                assertEquals("denied\n", reply.toString(StandardCharsets.UTF_8));
            }
            assertEquals(0, activations.get());
        }
    }

    @Test
    void aLockHolderThatNeverAnswersEndsInAClearMessage() throws Exception {
        Files.createDirectories(state);
        try (FileChannel channel = FileChannel.open(state.resolve(SingleInstance.LOCK_FILE),
                StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             var held = channel.lock()) {
            var e = assertThrows(SingleInstance.AlreadyRunningException.class,
                    () -> SingleInstance.claim(state, CONFIG, () -> true, Duration.ofMillis(300)));
            assertFalse(e.activated());
            assertEquals("ShareMirror is already running for this user (it holds " + state.resolve("instance.lock")
                    + ") but did not answer within 0.3 s (it has not published its address yet); if it is stuck, end it"
                    + " and start ShareMirror again", e.getMessage());
        }
    }
}
