package io.sharemirror.ui;

import com.formdev.flatlaf.extras.FlatSVGIcon;
import com.formdev.flatlaf.extras.FlatSVGUtils;
import io.sharemirror.status.FileCheck;
import io.sharemirror.status.SyncState;
import io.sharemirror.ui.freedesktop.Pixels;
import java.awt.Dimension;
import java.awt.Graphics2D;
import java.awt.Image;
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
    /** A badge's side, as a part of the icon's. */
    private static final double BADGE = 0.55;

    private StateIcons() {
    }

    static String file(SyncState state) {
        return switch (state) {
            case OK -> "ok";
            case PENDING -> "pending";
            case WAITING -> "waiting";
            case FAILED -> "failed";
            case OFFLINE -> "offline";
        };
    }

    /** The tray image for a look at the tray's logical icon size, with a variant per screen scale. */
    static Image tray(TrayLook look, Dimension size) {
        Image[] variants = new Image[SCALES.length];
        for (int i = 0; i < SCALES.length; i++) {
            variants[i] = drawn(look, (int) Math.round(size.width * SCALES[i]), (int) Math.round(size.height * SCALES[i]));
        }
        return new BaseMultiResolutionImage(variants);
    }

    /** The tray look as ARGB pixels at one size in device pixels: what the StatusNotifierItem carries. */
    static Pixels pixels(TrayLook look, int size) {
        return pixels(drawn(look, size, size));
    }

    /** An icon as ARGB pixels at one size in device pixels: what the D-Bus protocols carry. */
    static Pixels pixels(String name, int size) {
        return pixels(FlatSVGUtils.svg2image(source(name), size, size));
    }

    private static Pixels pixels(BufferedImage image) {
        int w = image.getWidth();
        int h = image.getHeight();
        return new Pixels(w, h, image.getRGB(0, 0, w, h, null, 0, w));
    }

    /**
     * The look's icon, with badges over its corners: the pause sign at the bottom right while sync is paused, the
     * red "!" at the top right while conflicts wait to be reviewed. The state stays readable under them.
     */
    private static BufferedImage drawn(TrayLook look, int width, int height) {
        BufferedImage image = FlatSVGUtils.svg2image(source(look.icon()), width, height);
        int side = (int) Math.round(Math.min(width, height) * BADGE);
        Graphics2D g = image.createGraphics();
        if (look.pause().isPresent()) {
            g.drawImage(FlatSVGUtils.svg2image(source("paused"), side, side), width - side, height - side, null);
        }
        if (look.attention()) {
            g.drawImage(FlatSVGUtils.svg2image(source("attention"), side, side), width - side, 0, null);
        }
        g.dispose();
        return image;
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
        return named(file(state), size);
    }

    /** An icon of icons/ by name, repainted at the component's scale. */
    static Icon named(String name, int size) {
        return new FlatSVGIcon(FOLDER + name + ".svg", size, size, StateIcons.class.getClassLoader());
    }

    /** A check's mark: the in-sync check for good, the failure triangle for a problem, an "i" for a note. */
    static Icon verdict(FileCheck.Verdict verdict, int size) {
        return named(switch (verdict) {
            case GOOD -> file(SyncState.OK);
            case NOTE -> "note";
            case PROBLEM -> file(SyncState.FAILED);
        }, size);
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
