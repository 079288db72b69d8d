package io.sharemirror.store.pg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sharemirror.sync.HubDamagedException;
import io.sharemirror.sync.StoreException;
import io.sharemirror.sync.StoreException.Kind;
import java.io.IOException;
import java.net.UnknownHostException;
import java.sql.SQLException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PgErrorsTest {

    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource(delimiter = '|', textBlock = """
            08001 | OFFLINE    | check that the server is running
            08006 | OFFLINE    | check that the server is running
            08004 | FAILED     | the server refused the connection; check sslmode
            08P01 | FAILED     | the other end does not speak PostgreSQL's protocol
            28000 | FAILED     | the server refused this login
            28P01 | FAILED     | the server refused this login
            3D000 | FAILED     | create the database on the server
            42501 | FAILED     | the user lacks a privilege
            40001 | BUSY       | another transaction on the server got in the way
            40P01 | BUSY       | another transaction on the server got in the way
            55P03 | BUSY       | another transaction on the server got in the way
            53300 | OFFLINE    | the server has no free connection
            53100 | FAILED     | the server is out of a resource
            57P01 | OFFLINE    | the server is shutting down or starting up
            57P03 | OFFLINE    | the server is shutting down or starting up
            23505 | CONSTRAINT | a row breaks a constraint
            XX001 | CORRUPT    | the server reports damaged data
            42P01 | FAILED     |
            """)
    void bySqlstate(String state, Kind kind, String hint) {
        StoreException e = PgErrors.classify("pushing", new SQLException("it went wrong", state));
        assertEquals(kind, e.kind());
        assertEquals("pushing: it went wrong", e.getMessage());
        if (hint == null) {
            assertEquals(null, e.hint());
        } else {
            assertTrue(e.hint().startsWith(hint), e.hint());
        }
        if (kind == Kind.CORRUPT) {
            assertInstanceOf(HubDamagedException.class, e);
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            true  | the host name cannot be resolved
            false | check that the server is running
            """)
    void anUnknownHostIsOfflineWithItsOwnHint(boolean unknownHost, String hint) {
        Throwable cause = unknownHost ? new UnknownHostException("nowhere") : new IOException("refused");
        StoreException e = PgErrors.classify("connecting", new SQLException("failed", "08001", cause));
        assertEquals(Kind.OFFLINE, e.kind());
        assertTrue(e.hint().startsWith(hint), e.hint());
    }
}
