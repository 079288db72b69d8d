package io.sharemirror.ui;

import com.formdev.flatlaf.extras.FlatSVGIcon;
import com.formdev.flatlaf.extras.FlatSVGUtils;
import io.sharemirror.status.SyncState;
import java.awt.Dimension;
import java.awt.Image;
import java.awt.image.BaseMultiResolutionImage;
import java.net.URL;
import java.util.List;
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
