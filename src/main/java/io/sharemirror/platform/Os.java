package io.sharemirror.platform;

import java.util.Locale;

/** The operating-system families whose conventions differ: folders, start at login, dark mode. */
enum Os {
    WINDOWS, MAC, LINUX_OR_OTHER_UNIX;

    /** From the {@code os.name} system property; null or unknown names count as a Unix. */
    static Os of(String osName) {
        String name = osName == null ? "" : osName.toLowerCase(Locale.ROOT);
        if (name.startsWith("windows")) {
            return WINDOWS;
        }
        if (name.startsWith("mac") || name.startsWith("darwin")) {
            return MAC;
        }
        return LINUX_OR_OTHER_UNIX;
    }

    static Os current() {
        return of(System.getProperty("os.name"));
    }
}
