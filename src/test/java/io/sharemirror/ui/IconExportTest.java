package io.sharemirror.ui;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reads the written files back as an installer would: the containers' own structure, then each PNG. */
class IconExportTest {

    private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

    @TempDir
    static Path out;

    @BeforeAll
    static void export() throws IOException {
        assertEquals(List.of(out.resolve("ShareMirror-256.png"), out.resolve("ShareMirror-512.png"),
                out.resolve("ShareMirror.ico"), out.resolve("ShareMirror.icns")), IconExport.export(out));
    }

    @Test
    void pngsHaveTheirSizeAndTheIconsRoundedCornersAreTransparent() throws IOException {
        for (int size : List.of(256, 512)) {
            BufferedImage image = ImageIO.read(out.resolve("ShareMirror-" + size + ".png").toFile());
            assertEquals(size, image.getWidth());
            assertEquals(size, image.getHeight());
            assertEquals(0, alpha(image, 0, 0), "outside the rounded square");
            assertEquals(255, alpha(image, size / 2, size / 10), "on the blue square");
        }
    }

    @Test
    void icoDirectoryDescribesPngEntriesFrom16To256() throws IOException {
        byte[] file = Files.readAllBytes(out.resolve("ShareMirror.ico"));
        ByteBuffer ico = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(0, ico.getShort(), "reserved");
        assertEquals(1, ico.getShort(), "type: icon");
        int count = ico.getShort();
        List<Integer> sizes = new ArrayList<>();
        int expectedOffset = 6 + 16 * count;
        for (int i = 0; i < count; i++) {
            int width = Byte.toUnsignedInt(ico.get());
            int height = Byte.toUnsignedInt(ico.get());
            assertEquals(0, ico.get(), "palette colours");
            assertEquals(0, ico.get(), "reserved");
            assertEquals(1, ico.getShort(), "planes");
            assertEquals(32, ico.getShort(), "bits per pixel");
            int length = ico.getInt();
            int offset = ico.getInt();
            assertEquals(expectedOffset, offset, "images follow the directory back to back");
            expectedOffset += length;

            int size = width == 0 ? 256 : width;
            assertEquals(width, height);
            assertDecodesTo(Arrays.copyOfRange(file, offset, offset + length), size);
            sizes.add(size);
        }
        assertEquals(List.of(16, 24, 32, 48, 64, 128, 256), sizes);
        assertEquals(file.length, expectedOffset, "nothing after the last image");
    }

    @Test
    void icnsElementsAreIc07ToIc10WithLengthsThatAddUp() throws IOException {
        byte[] file = Files.readAllBytes(out.resolve("ShareMirror.icns"));
        ByteBuffer icns = ByteBuffer.wrap(file);
        assertEquals("icns", fourCharacterCode(icns));
        assertEquals(file.length, icns.getInt(), "the header's length is the file's");
        Map<String, Integer> sizes = new TreeMap<>();
        while (icns.hasRemaining()) {
            String type = fourCharacterCode(icns);
            int length = icns.getInt();
            byte[] png = new byte[length - 8];
            icns.get(png);
            sizes.put(type, decodedSize(png));
        }
        assertEquals(Map.of("ic07", 128, "ic08", 256, "ic09", 512, "ic10", 1024), sizes);
    }

    @Test
    void badInputIsRefusedWithWhatIsAllowed() {
        var tooBig = assertThrows(IllegalArgumentException.class,
                () -> IcoFile.of(new TreeMap<>(Map.of(512, new byte[1]))));
        assertEquals("an .ico image is 1 to 256 pixels wide, not 512", tooBig.getMessage());
        var badType = assertThrows(IllegalArgumentException.class, () -> IcnsFile.of(Map.of("ic1", new byte[1])));
        assertEquals("an .icns type is four ASCII characters, like ic08, not 'ic1'", badType.getMessage());
    }

    private static void assertDecodesTo(byte[] png, int size) throws IOException {
        assertEquals(size, decodedSize(png));
    }

    private static int decodedSize(byte[] png) throws IOException {
        assertArrayEquals(PNG_SIGNATURE, Arrays.copyOf(png, 8));
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
        assertEquals(image.getWidth(), image.getHeight());
        return image.getWidth();
    }

    private static String fourCharacterCode(ByteBuffer buffer) {
        byte[] code = new byte[4];
        buffer.get(code);
        return new String(code, StandardCharsets.US_ASCII);
    }

    private static int alpha(BufferedImage image, int x, int y) {
        return image.getRGB(x, y) >>> 24;
    }
}
