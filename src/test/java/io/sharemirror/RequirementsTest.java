package io.sharemirror;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

/** A requirement missing fails the test in CI and skips it elsewhere, naming what is missing either way. */
class RequirementsTest {

    private static final String MISSING = "smbd is not installed; " + Requirements.INSTALL_STEP + " installs samba";

    @Test
    void aMissingRequirementFailsInCi() {
        AssertionFailedError failed = assertThrows(AssertionFailedError.class,
                () -> Requirements.check(false, MISSING, true));
        assertEquals("missing in CI (CI=true), where every test must run: " + MISSING, failed.getMessage());
    }

    @Test
    void aMissingRequirementSkipsOutsideCi() {
        TestAbortedException skipped = assertThrows(TestAbortedException.class,
                () -> Requirements.check(false, MISSING, false));
        assertEquals("skipped: " + MISSING, skipped.getMessage());
    }

    @Test
    void aRequirementMetDoesNothing() {
        assertDoesNotThrow(() -> Requirements.check(true, MISSING, true));
        assertDoesNotThrow(() -> Requirements.requireProgram("sh", "dash"));
    }
}
