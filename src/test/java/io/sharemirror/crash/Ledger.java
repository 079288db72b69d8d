package io.sharemirror.crash;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a crash child has written to its replica, kept outside every database so a crash cannot touch it.
 *
 * <p>Before an application transaction the child appends an intent line naming every operation and fsyncs it;
 * after {@code COMMIT} returns it appends an ack line with each operation's capture time (the replica's hybrid
 * logical clock right after the statement, or -1 when the statement changed no row) and fsyncs again. A write is
 * acknowledged only once its ack line is on disk. A group with an intent and no ack was cut off by a kill
 * somewhere between the two: it may or may not have committed ("in doubt").
 *
 * <pre>
 * I &lt;gid&gt; &lt;writer&gt; &lt;n&gt; (&lt;kind&gt; &lt;table&gt; &lt;key&gt; &lt;value&gt;)*n
 * A &lt;gid&gt; &lt;ts1&gt;,&lt;ts2&gt;,...
 * </pre>
 * Fields are separated by tabs; a kill can tear the last line, which is dropped when the file is opened again.
 */
final class Ledger implements AutoCloseable {

    /**
     * One statement: {@code ins}, {@code upd} or {@code put} (the row exists afterwards, with {@code value}) or
     * {@code del}; on table {@code item} (key = uid) or {@code kv} (key = k).
     */
    record Op(String kind, String table, String key, String value) {

        String id() {
            return table + ":" + key;
        }

        boolean isPut() {
            return !"del".equals(kind);
        }
    }

    /** One application transaction; {@code ts} is null while it is in doubt. */
    record Group(long gid, String writer, List<Op> ops, long[] ts) {

        boolean acknowledged() {
            return ts != null;
        }
    }

    private final FileChannel channel;

    private Ledger(FileChannel channel) {
        this.channel = channel;
    }

    /** Opens for appending, cutting off a line torn by a kill. */
    static Ledger open(Path file) throws IOException {
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        long size = channel.size();
        if (size > 0) {
            long keep = size;
            ByteBuffer one = ByteBuffer.allocate(1);
            while (keep > 0) {
                one.clear();
                channel.read(one, keep - 1);
                if (one.get(0) == '\n') {
                    break;
                }
                keep--;
            }
            if (keep < size) {
                channel.truncate(keep);
                channel.force(true);
            }
        }
        channel.position(channel.size());
        return new Ledger(channel);
    }

    void intent(long gid, String writer, List<Op> ops) throws IOException {
        StringBuilder line = new StringBuilder("I\t").append(gid).append('\t').append(writer).append('\t')
                .append(ops.size());
        for (Op op : ops) {
            line.append('\t').append(op.kind()).append('\t').append(op.table()).append('\t').append(op.key())
                    .append('\t').append(op.value());
        }
        append(line.append('\n').toString());
    }

    void ack(long gid, long[] ts) throws IOException {
        StringBuilder line = new StringBuilder("A\t").append(gid).append('\t');
        for (int i = 0; i < ts.length; i++) {
            line.append(i == 0 ? "" : ",").append(ts[i]);
        }
        append(line.append('\n').toString());
    }

    private void append(String line) throws IOException {
        ByteBuffer bytes = ByteBuffer.wrap(line.getBytes(StandardCharsets.UTF_8));
        while (bytes.hasRemaining()) {
            channel.write(bytes);
        }
        channel.force(false);
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }

    /** Every group in the file in gid order; a torn last line is ignored. */
    static List<Group> read(Path file) throws IOException {
        return read(file, Long.MAX_VALUE);
    }

    /** The groups as the file's first {@code bytes} bytes had them: what was written before a moment. */
    static List<Group> read(Path file, long bytes) throws IOException {
        Map<Long, Group> groups = new LinkedHashMap<>();
        if (!Files.exists(file)) {
            return List.of();
        }
        byte[] all = Files.readAllBytes(file);
        String text = new String(all, 0, (int) Math.min(all.length, bytes), StandardCharsets.UTF_8);
        int end = text.lastIndexOf('\n');
        if (end < 0) {
            return List.of();
        }
        for (String line : text.substring(0, end).split("\n")) {
            String[] f = line.split("\t", -1);
            if (f[0].equals("I")) {
                long gid = Long.parseLong(f[1]);
                int n = Integer.parseInt(f[3]);
                List<Op> ops = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    int at = 4 + 4 * i;
                    ops.add(new Op(f[at], f[at + 1], f[at + 2], f[at + 3]));
                }
                groups.put(gid, new Group(gid, f[2], ops, null));
            } else if (f[0].equals("A")) {
                long gid = Long.parseLong(f[1]);
                Group g = groups.get(gid);
                if (g == null) {
                    throw new IllegalStateException(file + ": ack without intent: " + line);
                }
                long[] ts = Arrays.stream(f[2].split(",")).mapToLong(Long::parseLong).toArray();
                if (ts.length != g.ops().size()) {
                    throw new IllegalStateException(file + ": ack does not match its intent: " + line);
                }
                groups.put(gid, new Group(gid, g.writer(), g.ops(), ts));
            } else {
                throw new IllegalStateException(file + ": unreadable line: " + line);
            }
        }
        return new ArrayList<>(groups.values());
    }
}
