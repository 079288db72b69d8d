package io.sharemirror.paths;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PathShapeTest {

    @Test
    void onlyAUncPathOffWindowsNeedsAMount() {
        boolean windows = System.getProperty("os.name").startsWith("Windows");
        assertEquals(!windows, PathShape.needsMountHere("\\\\fs01\\team\\app.db"));
        assertEquals(!windows, PathShape.needsMountHere("//fs01/team/app.db"));
        assertFalse(PathShape.needsMountHere("/mnt/team/app.db"));
        assertFalse(PathShape.needsMountHere("Z:\\team\\app.db"));
        assertFalse(PathShape.needsMountHere("~/app.db"));
    }

    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            \\\\server\\share\\app.db     | UNC
            //server/share/app.db         | UNC
            \\\\server\\share             | UNC
            //server/share                | UNC
            \\\\server                    | UNC
            //server                      | UNC
            \\/server/share/app.db        | UNC
            /\\server\\share\\app.db      | UNC
            "\\\\fs01\\team\\my data.db"  | UNC
            //                            | NATIVE
            ///srv/app.db                  | NATIVE
            \\\\                          | NATIVE
            Z:\\apps\\app.db              | DRIVE
            z:/apps/app.db                | DRIVE
            Z:\\                          | DRIVE
            Z:                            | DRIVE
            Z:app.db                      | NATIVE
            ZZ:\\app.db                   | NATIVE
            1:\\app.db                    | NATIVE
            ~                             | HOME
            ~/data/app.db                 | HOME
            ~\\data\\app.db               | HOME
            ~user/app.db                  | NATIVE
            /mnt/share/app.db             | NATIVE
            /srv/app.db                   | NATIVE
            share/app.db                  | NATIVE
            ./app.db                      | NATIVE
            app.db                        | NATIVE
            """)
    void shapeOfAPath(String path, PathShape shape) {
        assertEquals(shape, PathShape.of(path));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            \\\\FS01\\Team\\app.db          | //fs01/team/app.db
            //fs01/team/APP.db              | //fs01/team/app.db
            \\\\fs01\\team\\.\\sub\\..\\app.db | //fs01/team/app.db
            //fs01//team///app.db           | //fs01/team/app.db
            //fs01/team/../../app.db        | //fs01/team/app.db
            \\\\fs01                        | //fs01
            Z:\\Apps\\App.db                | z:/apps/app.db
            z:/apps/./x/../app.db           | z:/apps/app.db
            Z:\\..\\app.db                  | z:/app.db
            Z:                              | z:
            """)
    void windowsKeyIsOneTextForEverySpellingOfAFile(String path, String key) {
        assertEquals(key, PathShape.windowsKey(path));
    }

    @ParameterizedTest
    @CsvSource({"/srv/app.db", "~/app.db", "app.db"})
    void onlyWindowsPathsHaveAWindowsKey(String path) {
        assertThrows(IllegalArgumentException.class, () -> PathShape.windowsKey(path));
    }
}
