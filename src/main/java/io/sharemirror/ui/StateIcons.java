package io.sharemirror.ui;

import com.formdev.flatlaf.extras.FlatSVGIcon;
import com.formdev.flatlaf.extras.FlatSVGUtils;
import io.sharemirror.status.SyncState;
import java.awt.Dimension;
import java.awt.Image;
import io.sharemirror.ui.freedesktop.Pixels;
import java.awt.image.BaseMultiResolutionImage;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.util.List;
import javax.imageio.ImageIO;
import javax.swing.Icon;

/** The icons, rendered from the SVG sources in icons/ at whatever size and screen scale is asked for. */
final class StateIcons {

    /** Scales desktops run at; each gets its own rendering so HiDPI trays stay sharp. */
    private static final double[] SCALES = {1, 1.25, 1.5, 1.75, 2, 2.5, 3, 4};
    private static final String FOLDER = "io/sharemirror/ui/icons/";

    private StateIcons() {
    }

    static String file(SyncState state) {
        return switch (state) {
            case OK -> "ok";
            case PENDING -> "pending";
            case FAILED -> "failed";
            case OFFLINE -> "offline";
        };
    }

    /** The tray image for a state at the tray's logical icon size, with a variant per screen scale. */
    static Image tray(SyncState state, Dimension size) {
        return rendered(file(state), size.width, size.height);
    }

    /** The icon as ARGB pixels at one size in device pixels: what the D-Bus protocols carry. */
    static Pixels pixels(String name, int size) {
        BufferedImage image = FlatSVGUtils.svg2image(source(name), size, size);
        return new Pixels(size, size, image.getRGB(0, 0, size, size, null, 0, size));
    }

    /** The icon as a PNG file's bytes (a dbusmenu item's icon-data). */
    static byte[] png(String name, int size) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(FlatSVGUtils.svg2image(source(name), size, size), "png", out);
        } catch (IOException e) {
            throw new UncheckedIOException("encoding " + name + " as PNG in memory", e);
        }
        return out.toByteArray();
    }

    static Image rendered(String name, int width, int height) {
        URL svg = source(name);
        Image[] variants = new Image[SCALES.length];
        for (int i = 0; i < SCALES.length; i++) {
            variants[i] = FlatSVGUtils.svg2image(svg, (int) Math.round(width * SCALES[i]),
                    (int) Math.round(height * SCALES[i]));
        }
        return new BaseMultiResolutionImage(variants);
    }

    /** A small state marker for tables and labels; FlatSVGIcon repaints it at the component's scale. */
    static Icon dot(SyncState state, int size) {
        return new FlatSVGIcon(FOLDER + file(state) + ".svg", size, size, StateIcons.class.getClassLoader());
    }

    static List<Image> windowIcons() {
        return FlatSVGUtils.createWindowIconImages(source("app"));
    }

    private static URL source(String name) {
        URL url = StateIcons.class.getClassLoader().getResource(FOLDER + name + ".svg");
        if (url == null) {
            throw new IllegalStateException("icon " + name + ".svg is missing from the build (icons/ folder)");
        }
        return url;
    }
}
