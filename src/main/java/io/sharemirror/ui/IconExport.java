package io.sharemirror.ui;

import com.formdev.flatlaf.extras.FlatSVGUtils;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.imageio.ImageIO;

/**
 * Renders the app icon's vector source ({@code icons/app.svg}) into what the installers take: PNGs for Linux,
 * an .ico for Windows, an .icns for macOS. The packaging scripts run
 * {@code java -cp target/sharemirror.jar io.sharemirror.ui.IconExport <output folder>}.
 */
public final class IconExport {

    static final String APP_ICON = "/io/sharemirror/ui/icons/app.svg";
    static final List<Integer> PNG_SIZES = List.of(256, 512);
    /** Windows picks the nearest size for each place it shows an icon: 16 in lists up to 256 in large views. */
    static final List<Integer> ICO_SIZES = List.of(16, 24, 32, 48, 64, 128, 256);
    /** The PNG element types of the .icns format and their edge lengths (ic10 is 512 at 2x). */
    static final Map<String, Integer> ICNS_TYPES = Map.of("ic07", 128, "ic08", 256, "ic09", 512, "ic10", 1024);

    private IconExport() {
    }

    public static void main(String[] args) {
        if (args.length != 1) {
            System.err.println("usage: java -cp sharemirror.jar " + IconExport.class.getName() + " <output folder>");
            System.exit(2);
        }
        try {
            export(Path.of(args[0])).forEach(System.out::println);
        } catch (IOException e) {
            System.err.println("IconExport: " + e.getMessage());
            System.exit(1);
        }
    }

    /** Writes ShareMirror-256.png, ShareMirror-512.png, ShareMirror.ico and ShareMirror.icns; returns their paths. */
    static List<Path> export(Path folder) throws IOException {
        URL svg = IconExport.class.getResource(APP_ICON);
        if (svg == null) {
            throw new IOException(APP_ICON + " is not on the class path; build with mvn package");
        }
        Files.createDirectories(folder);
        Map<Integer, byte[]> rendered = new TreeMap<>();
        List<Path> written = new ArrayList<>();
        for (int size : PNG_SIZES) {
            written.add(Files.write(folder.resolve("ShareMirror-" + size + ".png"), png(svg, size, rendered)));
        }
        TreeMap<Integer, byte[]> ico = new TreeMap<>();
        for (int size : ICO_SIZES) {
            ico.put(size, png(svg, size, rendered));
        }
        written.add(Files.write(folder.resolve("ShareMirror.ico"), IcoFile.of(ico)));
        Map<String, byte[]> icns = new LinkedHashMap<>();
        for (String type : new TreeMap<>(ICNS_TYPES).keySet()) {
            icns.put(type, png(svg, ICNS_TYPES.get(type), rendered));
        }
        written.add(Files.write(folder.resolve("ShareMirror.icns"), IcnsFile.of(icns)));
        return written;
    }

    /** The SVG drawn at size x size pixels, as PNG bytes; each size is drawn once. */
    private static byte[] png(URL svg, int size, Map<Integer, byte[]> rendered) throws IOException {
        byte[] png = rendered.get(size);
        if (png == null) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ImageIO.write(FlatSVGUtils.svg2image(svg, size, size), "png", out);
            png = out.toByteArray();
            rendered.put(size, png);
        }
        return png;
    }
}
