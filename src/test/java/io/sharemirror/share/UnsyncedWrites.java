package io.sharemirror.share;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes that have not been fsynced, kept in memory the way a page cache keeps them: readers see them, the file on
 * disk does not have them until {@link #sync}, and {@link #dropAll} (a power cut) loses them. Creating, renaming and
 * deleting files is durable at once, as on a journaling filesystem; only file contents and sizes are held back.
 * One lock for everything: it is a test double, and a sync must not race a write into a forgotten buffer.
 */
final class UnsyncedWrites {

    static final int BLOCK = 4096;

    private final Map<String, DirtyFile> files = new HashMap<>();

    synchronized boolean holds(String path) {
        return files.containsKey(path);
    }

    synchronized void write(String path, FileChannel durable, long offset, byte[] data) throws IOException {
        dirty(path, durable).write(durable, offset, data);
    }

    /** Reads what a reader would see now; returns the number of bytes read (short at the end of the file). */
    synchronized int read(String path, FileChannel durable, long offset, byte[] into) throws IOException {
        DirtyFile file = files.get(path);
        return file == null ? readFully(durable, offset, into, 0, into.length) : file.read(durable, offset, into);
    }

    synchronized void truncate(String path, FileChannel durable, long size) throws IOException {
        dirty(path, durable).truncate(size);
    }

    /** The size a reader sees, given the size of the file on disk. */
    synchronized long size(String path, long durableSize) {
        DirtyFile file = files.get(path);
        return file == null ? durableSize : file.length;
    }

    /** Makes the held-back contents of this file durable (the caller forces the channel afterwards). */
    synchronized void sync(String path, FileChannel durable) throws IOException {
        DirtyFile file = files.remove(path);
        if (file != null) {
            file.flushTo(durable);
        }
    }

    synchronized void rename(String from, String to) {
        DirtyFile file = files.remove(from);
        files.remove(to);
        if (file != null) {
            files.put(to, file);
        }
    }

    synchronized void forget(String path) {
        files.remove(path);
    }

    /** The power cut: everything not fsynced is gone. */
    synchronized void dropAll() {
        files.clear();
    }

    private DirtyFile dirty(String path, FileChannel durable) throws IOException {
        DirtyFile file = files.get(path);
        if (file == null) {
            file = new DirtyFile(durable.size());
            files.put(path, file);
        }
        return file;
    }

    /** A file's unsynced state: changed blocks over the durable file, and its current length. */
    private static final class DirtyFile {
        /** Block index to its current contents; bytes at or past {@link #length} are zero. */
        final TreeMap<Long, byte[]> blocks = new TreeMap<>();
        long length;
        /** Durable bytes at or past this offset were cut off by a truncate and read as zeros. Never above length. */
        long durableLimit;

        DirtyFile(long durableSize) {
            length = durableSize;
            durableLimit = durableSize;
        }

        int read(FileChannel durable, long offset, byte[] into) throws IOException {
            int n = (int) Math.max(0, Math.min(into.length, length - offset));
            for (int done = 0; done < n; ) {
                long pos = offset + done;
                int within = (int) (pos % BLOCK);
                int chunk = Math.min(BLOCK - within, n - done);
                byte[] block = blocks.get(pos / BLOCK);
                if (block != null) {
                    System.arraycopy(block, within, into, done, chunk);
                } else {
                    readDurable(durable, pos, into, done, chunk);
                }
                done += chunk;
            }
            return n;
        }

        void write(FileChannel durable, long offset, byte[] data) throws IOException {
            for (int done = 0; done < data.length; ) {
                long pos = offset + done;
                int within = (int) (pos % BLOCK);
                int chunk = Math.min(BLOCK - within, data.length - done);
                System.arraycopy(data, done, block(durable, pos / BLOCK), within, chunk);
                done += chunk;
            }
            length = Math.max(length, offset + data.length);
        }

        void truncate(long size) {
            blocks.tailMap((size + BLOCK - 1) / BLOCK).clear();
            byte[] partial = blocks.get(size / BLOCK);
            if (partial != null) {
                Arrays.fill(partial, (int) (size % BLOCK), BLOCK, (byte) 0);
            }
            durableLimit = Math.min(durableLimit, size);
            length = size;
        }

        void flushTo(FileChannel durable) throws IOException {
            if (durable.size() > durableLimit) {
                durable.truncate(durableLimit);
            }
            for (var e : blocks.entrySet()) {
                long start = e.getKey() * BLOCK;
                writeFully(durable, start, e.getValue(), (int) Math.min(BLOCK, length - start));
            }
            if (durable.size() < length) {
                writeFully(durable, length - 1, new byte[1], 1); // a size extended by truncate: zeros up to it
            }
        }

        private byte[] block(FileChannel durable, long index) throws IOException {
            byte[] block = blocks.get(index);
            if (block == null) {
                block = new byte[BLOCK];
                readDurable(durable, index * BLOCK, block, 0, BLOCK);
                blocks.put(index, block);
            }
            return block;
        }

        /** Durable bytes below the truncation limit; zeros past it and past the end of the file. */
        private void readDurable(FileChannel durable, long pos, byte[] into, int at, int count) throws IOException {
            Arrays.fill(into, at, at + count, (byte) 0);
            readFully(durable, pos, into, at, (int) Math.max(0, Math.min(count, durableLimit - pos)));
        }
    }

    /** Reads up to {@code count} bytes at {@code pos}; returns how many there were before the end of the file. */
    static int readFully(FileChannel channel, long pos, byte[] into, int at, int count) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(into, at, count);
        while (buffer.hasRemaining()) {
            if (channel.read(buffer, pos + buffer.position() - at) < 0) {
                break;
            }
        }
        return buffer.position() - at;
    }

    static void writeFully(FileChannel channel, long pos, byte[] data, int count) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(data, 0, count);
        while (buffer.hasRemaining()) {
            channel.write(buffer, pos + buffer.position());
        }
    }
}
