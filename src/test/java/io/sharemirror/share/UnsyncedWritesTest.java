package io.sharemirror.share;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Random writes, truncates and syncs against a plain byte array: readers always see the array, the disk only what
 * was synced, and a power loss leaves exactly the last synced contents. {@code -Dunsynced.seed=S} replays a run.
 */
class UnsyncedWritesTest {

    private static final int BLOCK = UnsyncedWrites.BLOCK;

    @TempDir
    Path dir;

    @Test
    void readersSeeEveryWriteTheDiskOnlySyncedOnesAndAPowerLossKeepsTheLastSync() throws IOException {
        long seed = Long.getLong("unsynced.seed", System.nanoTime());
        Random random = new Random(seed);
        for (int round = 0; round < 100; round++) {
            String path = "/f" + round;
            Path file = dir.resolve("f" + round);
            byte[] durable = bytes(random, random.nextInt(3 * BLOCK));
            Files.write(file, durable);
            byte[] current = durable.clone();
            UnsyncedWrites unsynced = new UnsyncedWrites();
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                for (int step = 0; step < 40; step++) {
                    int choice = random.nextInt(10);
                    if (choice < 6) {
                        int offset = random.nextInt(current.length + BLOCK);
                        byte[] data = bytes(random, 1 + random.nextInt(2 * BLOCK));
                        unsynced.write(path, channel, offset, data);
                        current = Arrays.copyOf(current, Math.max(current.length, offset + data.length));
                        System.arraycopy(data, 0, current, offset, data.length);
                    } else if (choice < 8) {
                        int size = random.nextInt(current.length + BLOCK);
                        unsynced.truncate(path, channel, size);
                        current = Arrays.copyOf(current, size);
                    } else {
                        unsynced.sync(path, channel);
                        durable = current.clone();
                    }
                    String where = "seed " + seed + ", round " + round + ", step " + step;
                    assertEquals(current.length, unsynced.size(path, channel.size()), where);
                    int from = random.nextInt(current.length + 1);
                    byte[] read = new byte[random.nextInt(current.length - from + BLOCK)];
                    int n = unsynced.read(path, channel, from, read);
                    assertArrayEquals(Arrays.copyOfRange(current, from, from + n), Arrays.copyOf(read, n), where);
                    assertEquals(Math.min(read.length, current.length - from), n, where);
                    assertArrayEquals(durable, Files.readAllBytes(file), where + ": the disk has only what was synced");
                }
            }
            unsynced.dropAll();
            assertArrayEquals(durable, Files.readAllBytes(file), "seed " + seed + ", round " + round + ": after a power loss");
        }
    }

    private static byte[] bytes(Random random, int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }
}
