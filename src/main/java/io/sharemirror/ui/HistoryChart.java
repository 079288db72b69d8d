package io.sharemirror.ui;

import io.sharemirror.sync.CycleRecord;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Dimension;
import java.awt.Graphics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Path2D;
import java.util.ArrayList;
import java.util.List;
import javax.swing.JComponent;
import javax.swing.UIManager;

/**
 * Sync duration (bars, left scale) and writes still pending after each cycle (line, right scale), oldest
 * on the left. Failed cycles are red bars, offline ones grey, so a bad afternoon stands out at a glance.
 */
final class HistoryChart extends JComponent {

    static final int MAX_CYCLES = 120;

    private List<CycleRecord> cycles = List.of();

    HistoryChart() {
        setName("historyChart");
        setPreferredSize(new Dimension(600, 150));
    }

    /** Newest first, as the history comes; only the newest {@link #MAX_CYCLES} are drawn. */
    void show(List<CycleRecord> newestFirst) {
        List<CycleRecord> drawn = new ArrayList<>(newestFirst.subList(0, Math.min(MAX_CYCLES, newestFirst.size())));
        java.util.Collections.reverse(drawn);
        cycles = drawn;
        repaint();
    }

    List<CycleRecord> drawn() {
        return cycles;
    }

    @Override
    protected void paintComponent(Graphics graphics) {
        Graphics2D g = (Graphics2D) graphics.create();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        Color text = UIManager.getColor("Label.foreground");
        Color grid = UIManager.getColor("Separator.foreground");
        int left = 56;
        int right = getWidth() - 90;
        int top = 18;
        int bottom = getHeight() - 18;
        g.setColor(grid);
        g.drawLine(left, bottom, right, bottom);
        g.setColor(text);
        if (cycles.isEmpty()) {
            g.drawString("No sync cycles yet", left + 8, (top + bottom) / 2);
            g.dispose();
            return;
        }
        long maxMs = Math.max(1, cycles.stream().mapToLong(c -> c.duration().toMillis()).max().orElse(1));
        long maxPending = Math.max(1, cycles.stream().mapToLong(c -> Math.max(0, c.pending())).max().orElse(1));
        g.drawString(Format.duration(java.time.Duration.ofMillis(maxMs)), 4, top + 4);
        g.drawString("0", 4, bottom);
        g.drawString(Format.count(maxPending, "pending", "pending"), right + 6, top + 4);
        g.drawString("sync duration (bars) · pending writes after each cycle (line)", left, getHeight() - 3);

        double step = Math.min(24, (right - left) / (double) cycles.size()); // a few cycles stay bars, not slabs
        int barWidth = Math.max(1, (int) (step * 0.7));
        Path2D pendingLine = new Path2D.Double();
        for (int i = 0; i < cycles.size(); i++) {
            CycleRecord c = cycles.get(i);
            int x = left + (int) (i * step);
            int h = (int) ((bottom - top) * c.duration().toMillis() / (double) maxMs);
            g.setColor(switch (c.outcome()) {
                case FAILED -> new Color(0xD0342C);
                case OFFLINE -> new Color(0x8A8A8A);
                default -> new Color(0x2F6FDB);
            });
            g.fillRect(x, bottom - Math.max(1, h), barWidth, Math.max(1, h));
            double y = bottom - (bottom - top) * Math.max(0, c.pending()) / (double) maxPending;
            if (i == 0) {
                pendingLine.moveTo(x + barWidth / 2.0, y);
            } else {
                pendingLine.lineTo(x + barWidth / 2.0, y);
            }
        }
        g.setColor(new Color(0xE8A317));
        g.setStroke(new BasicStroke(2f));
        g.draw(pendingLine);
        g.dispose();
    }
}
