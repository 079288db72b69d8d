package io.sharemirror.paths;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class PostgresAddressTest {

    @Test
    void everyPartOfAFullUrl() throws Exception {
        PostgresAddress a = PostgresAddress.parse(
                "postgresql://team@db.example.com:6543/sales?sslmode=verify-full&connect_timeout=5");
        assertEquals(Optional.of("team"), a.user());
        assertEquals("db.example.com", a.host());
        assertEquals(6543, a.port());
        assertEquals("sales", a.database());
        assertEquals(Map.of("sslmode", "verify-full", "connect_timeout", "5"), a.parameters());
        assertEquals("PostgreSQL db.example.com:6543/sales", a.describe());
    }

    @Test
    void portDefaultsTo5432AndUserIsLeftToTheConnection() throws Exception {
        PostgresAddress a = PostgresAddress.parse("postgres://db/app");
        assertEquals(Optional.empty(), a.user());
        assertEquals(5432, a.port());
        assertEquals(Map.of(), a.parameters());
        assertEquals("postgresql://db:5432/app", a.url());
    }

    @Test
    void ipv6InBrackets() throws Exception {
        PostgresAddress a = PostgresAddress.parse("postgresql://[::1]:5433/app");
        assertEquals("::1", a.host());
        assertEquals(5433, a.port());
        assertEquals("[::1]:5433", a.hostAndPort());
        assertEquals("::1", PostgresAddress.parse("postgresql://[::1]/app").host());
    }

    @Test
    void percentEscapesAreDecodedAsUtf8AndAPlusStays() throws Exception {
        PostgresAddress a = PostgresAddress.parse("postgresql://j%C3%B6rg%40it@db/sales%2F2024+x"
                + "?application_name=Share%20Mirror");
        assertEquals(Optional.of("jörg@it"), a.user());
        assertEquals("sales/2024+x", a.database());
        assertEquals("Share Mirror", a.parameters().get("application_name"));
    }

    @Test
    void urlReadsBackToTheSameAddress() throws Exception {
        PostgresAddress a = PostgresAddress.parse("postgresql://j%C3%B6rg@[fe80::1]/sales%2F2024"
                + "?sslrootcert=%2Fetc%2Fca%20root.pem&sslmode=require");
        assertEquals(a, PostgresAddress.parse(a.url()));
        assertEquals("postgresql://j%C3%B6rg@[fe80::1]:5432/sales%2F2024?sslrootcert=%2Fetc%2Fca%20root.pem"
                + "&sslmode=require", a.url());
    }

    @Test
    void theSameDatabaseWhateverTheUserParametersAndHostCase() throws Exception {
        assertEquals(PostgresAddress.parse("postgresql://DB.example.com/app").databaseKey(),
                PostgresAddress.parse("postgres://me@db.example.com:5432/app?sslmode=require").databaseKey());
        assertFalse(PostgresAddress.parse("postgresql://db/app").databaseKey()
                .equals(PostgresAddress.parse("postgresql://db/App").databaseKey()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"postgresql://h/d", "postgres://h/d", "POSTGRESQL://h/d", "postgresql:/h/d",
        "jdbc:postgresql://h/d", "postgres:"})
    void whatLooksLikeAUrl(String text) {
        assertTrue(PostgresAddress.looksLike(text));
        assertEquals(PathShape.POSTGRES, PathShape.of(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"/mnt/postgresql/app.db", "postgresql.db", "pg://h/d", "//postgresql/share/app.db"})
    void whatDoesNot(String text) {
        assertFalse(PostgresAddress.looksLike(text));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            postgresql://bob:secret@db/app              | the URL holds a password; passwords go in ~/.pgpass or PGPASSWORD, never in config.yaml (write postgresql://user@host/db; an '@' inside a name is written %40)
            postgresql://bob:@db/app                    | the URL holds a password; passwords go in ~/.pgpass or PGPASSWORD
            postgresql://bob:se/cret@db/app             | the URL holds a password; passwords go in ~/.pgpass or PGPASSWORD
            postgresql://db/app?password=secret         | the URL holds a password; passwords go in ~/.pgpass or PGPASSWORD, never in config.yaml
            jdbc:postgresql://db/app                    | this is a JDBC URL; write it without the leading "jdbc:"
            postgresql:/db/app                          | it must start with postgresql:// or postgres:// (lower case)
            POSTGRESQL://db/app                         | it must start with postgresql:// or postgres:// (lower case)
            postgresql://db                             | no database name; expected postgresql://[user@]host[:port]/dbname[?sslmode=...]
            postgresql://db?sslmode=require             | no database name;
            postgresql://db/                            | no database name after the host;
            postgresql://db/app/more                    | the database name has a '/'; write only the database after the host (a '/' inside the name is written %2F)
            postgresql:///app                           | no host; ShareMirror connects over TCP only
            postgresql://@db/app                        | the user name before '@' is empty
            postgresql://a,b/app                        | more than one host; a hub is one server
            postgresql://:5432/app                      | no host before the port
            postgresql://d*b/app                        | the host is not a host name; expected letters, digits, '-', '_' and '.', or an IPv6 address in brackets like [::1]
            postgresql://[::1/app                       | the IPv6 address has no closing ']'
            postgresql://[db]/app                       | the text in brackets is not an IPv6 address
            postgresql://[::1]x/app                     | unexpected text after the IPv6 address
            postgresql://db:0/app                       | the port is not a number from 1 to 65535 (PostgreSQL's is 5432, the default)
            postgresql://db:65536/app                   | the port is not a number from 1 to 65535
            postgresql://db:/app                        | the port is not a number from 1 to 65535
            postgresql://db:x5432/app                   | the port is not a number from 1 to 65535
            postgresql://db/app#top                     | a '#' fragment has no meaning here
            postgresql://db/app?sslmode=requir          | sslmode "requir" is not one of libpq's; expected one of: disable, allow, prefer, require, verify-ca, verify-full
            postgresql://db/app?target_session_attrs=any | unknown parameter "target_session_attrs"; allowed: sslmode, sslrootcert, sslcert, sslkey, connect_timeout, application_name
            postgresql://db/app?sslmode=require&        | an empty parameter; allowed:
            postgresql://db/app?sslmode                 | parameter sslmode has no value; write sslmode=value
            postgresql://db/app?sslmode=                | parameter sslmode has no value
            postgresql://db/app?sslmode=require&sslmode=disable | parameter sslmode is given twice
            postgresql://db/app?connect_timeout=0       | connect_timeout "0" is not usable; expected whole seconds from 1 to 300
            postgresql://db/app?connect_timeout=2.5     | connect_timeout "2.5" is not usable
            postgresql://db/a%zzb                       | the database name has a '%' that is not followed by two hexadecimal digits; write a '%' itself as %25
            postgresql://db/a%00b                       | the database name holds %00
            postgresql://db/a%C3b                       | the database name has percent-escapes that are not UTF-8
            """)
    void eachRefusalSaysWhatIsWrongAndWhatIsAllowed(String url, String message) {
        PostgresAddress.Invalid e = assertThrows(PostgresAddress.Invalid.class, () -> PostgresAddress.parse(url));
        assertTrue(e.getMessage().startsWith(message), e.getMessage());
    }

    @Test
    void aRefusalNeverRepeatsAPassword() {
        for (String url : new String[] {"postgresql://bob:s3cr3t@db/app", "postgresql://bob:s3/cr3t@db/app",
            "postgresql://db/app?password=s3cr3t", "postgresql://bob:s3cr3t@db:x/app"}) {
            PostgresAddress.Invalid e = assertThrows(PostgresAddress.Invalid.class, () -> PostgresAddress.parse(url));
            assertFalse(e.getMessage().contains("s3"), e.getMessage());
        }
    }
}
