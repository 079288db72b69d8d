package io.sharemirror.ui;

import com.formdev.flatlaf.extras.FlatSVGIcon;
import com.formdev.flatlaf.extras.FlatSVGUtils;
import io.sharemirror.status.FileCheck;
import io.sharemirror.status.SyncState;
import java.awt.Dimension;
import java.awt.Graphics2D;
import java.awt.Image;
import java.awt.image.BufferedImage;
import java.awt.image.BaseMultiResolutionImage;
import java.net.URL;
import java.util.List;
import javax.swing.Icon;

/** The icons, rendered from the SVG sources in icons/ at whatever size and screen scale is asked for. */
final class StateIcons {

    /** Scales desktops run at; each gets its own rendering so HiDPI trays stay sharp. */
    private static final double[] SCALES = {1, 1.25, 1.5, 1.75, 2, 2.5, 3, 4};
    private static final String FOLDER = "io/sharemirror/ui/icons/";
    /** The attention badge's side, as a part of the icon's. */
    private static final double BADGE = 0.55;

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

    /**
     * The tray image at the tray's logical icon size, with a variant per screen scale: the look's icon, and over its
     * top right corner the attention badge while conflicts wait.
     */
    static Image tray(TrayLook look, Dimension size) {
        return rendered(look.icon(), look.attention(), size.width, size.height);
    }

    static Image rendered(String name, int width, int height) {
        return rendered(name, false, width, height);
    }

    private static Image rendered(String name, boolean badge, int width, int height) {
        URL svg = source(name);
        Image[] variants = new Image[SCALES.length];
        for (int i = 0; i < SCALES.length; i++) {
            int w = (int) Math.round(width * SCALES[i]);
            int h = (int) Math.round(height * SCALES[i]);
            BufferedImage image = FlatSVGUtils.svg2image(svg, w, h);
            if (badge) {
                int side = (int) Math.round(Math.min(w, h) * BADGE);
                Graphics2D g = image.createGraphics();
                g.drawImage(FlatSVGUtils.svg2image(source("attention"), side, side), w - side, 0, null);
                g.dispose();
            }
            variants[i] = image;
        }
        return new BaseMultiResolutionImage(variants);
    }

    /** A small state marker for tables and labels; FlatSVGIcon repaints it at the component's scale. */
    static Icon dot(SyncState state, int size) {
        return new FlatSVGIcon(FOLDER + file(state) + ".svg", size, size, StateIcons.class.getClassLoader());
    }

    /** A check's mark: the in-sync check for good, the failure triangle for a problem, an "i" for a note. */
    static Icon verdict(FileCheck.Verdict verdict, int size) {
        String name = switch (verdict) {
            case GOOD -> file(SyncState.OK);
            case NOTE -> "note";
            case PROBLEM -> file(SyncState.FAILED);
        };
        return new FlatSVGIcon(FOLDER + name + ".svg", size, size, StateIcons.class.getClassLoader());
    }

    /** The application's own icon, for the welcome screen. */
    static Icon appIcon(int size) {
        return new FlatSVGIcon(FOLDER + "app.svg", size, size, StateIcons.class.getClassLoader());
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
