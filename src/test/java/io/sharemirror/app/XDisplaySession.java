package io.sharemirror.app;

import org.junit.platform.launcher.LauncherSession;
import org.opentest4j.TestAbortedException;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * Makes sure the tests' X server answers before the first test runs. AWT connects once per JVM, on first use,
 * by any test (rendering an icon is enough): were the display not up yet, AWT would stay broken for every
 * later test in the JVM. Where Xvfb or trayer is missing, outside CI, the GUI tests skip one by one, saying why.
 */
public final class XDisplaySession implements LauncherSessionListener {

    @Override
    public void launcherSessionOpened(LauncherSession session) {
        try {
            XDisplay.ensure(true);
        } catch (TestAbortedException e) {
            return; // already said on stderr; every GUI test asks again and skips
        } catch (Exception e) {
            throw new IllegalStateException("the tests' X display could not be started: " + e.getMessage(), e);
        }
    }
}
