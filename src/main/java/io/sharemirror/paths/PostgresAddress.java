package io.sharemirror.paths;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A hub on a PostgreSQL server, as a database's {@code path} names it:
 * {@code postgresql://[user@]host[:port]/dbname[?param=value&...]} (or {@code postgres://}, as libpq accepts). Parsed
 * by hand, so that every refusal can say which part is wrong and what is allowed; a refusal never repeats the URL,
 * since a wrong one may hold a password.
 *
 * <p>Narrower than libpq's URIs on purpose: one host over TCP (no socket folder, no host list), a database named
 * explicitly, no password (it belongs in {@code ~/.pgpass} or {@code PGPASSWORD}), and only the {@link #PARAMETERS}
 * ShareMirror passes on.
 *
 * @param user the role as written, empty when the URL names none: the connection then takes {@code PGUSER} or the
 *     operating system's user name, as libpq does
 * @param host a host name or an IP address; an IPv6 address without its brackets
 * @param port the TCP port, 5432 unless written
 * @param database the database name, percent-decoded
 * @param parameters the query parameters in the order written, each one of {@link #PARAMETERS}, percent-decoded
 */
public record PostgresAddress(Optional<String> user, String host, int port, String database,
                              Map<String, String> parameters) {

    public static final int DEFAULT_PORT = 5432;
    /** libpq's values of {@code sslmode}, weakest first. */
    public static final List<String> SSL_MODES = List.of("disable", "allow", "prefer", "require", "verify-ca",
            "verify-full");
    /** The query parameters a hub URL may carry. */
    public static final List<String> PARAMETERS = List.of("sslmode", "sslrootcert", "sslcert", "sslkey",
            "connect_timeout", "application_name");
    /** Longest {@code connect_timeout}, in seconds. */
    private static final int MAX_CONNECT_TIMEOUT = 300;

    private static final String PASSWORD_RULE = "passwords go in ~/.pgpass or PGPASSWORD, never in config.yaml";
    private static final String SHAPE = "expected postgresql://[user@]host[:port]/dbname[?sslmode=...]";
    private static final Pattern SCHEME = Pattern.compile("(?i)(jdbc:)?postgres(ql)?:.*", Pattern.DOTALL);
    private static final Pattern HOST_NAME = Pattern.compile("[A-Za-z0-9_]([A-Za-z0-9_.-]*[A-Za-z0-9_])?");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");

    public PostgresAddress {
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(database, "database");
        parameters = Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
    }

    /** A URL that does not name a usable hub: the message says which part is wrong and what is allowed. */
    public static final class Invalid extends Exception {
        Invalid(String message) {
            super(message);
        }
    }

    /**
     * Whether {@code text} is meant as a PostgreSQL URL: it starts with {@code postgresql:} or {@code postgres:} in
     * any case, or with {@code jdbc:postgresql:} pasted from a JDBC setting. Such text is never a file path.
     */
    public static boolean looksLike(String text) {
        return SCHEME.matcher(text).matches();
    }

    /** Parses a URL that {@link #looksLike}; throws with the first thing wrong in it. */
    public static PostgresAddress parse(String url) throws Invalid {
        String lower = url.toLowerCase(Locale.ROOT);
        if (lower.startsWith("jdbc:")) {
            throw new Invalid("this is a JDBC URL; write it without the leading \"jdbc:\"");
        }
        String scheme = lower.startsWith("postgresql:") ? "postgresql:" : "postgres:";
        if (!url.startsWith(scheme) || !lower.startsWith(scheme + "//")) {
            throw new Invalid("it must start with postgresql:// or postgres:// (lower case); " + SHAPE);
        }
        String rest = url.substring(scheme.length() + 2);
        int queryMark = rest.indexOf('?');
        String beforeQuery = queryMark < 0 ? rest : rest.substring(0, queryMark);
        int lastAt = beforeQuery.lastIndexOf('@');
        if (lastAt >= 0 && beforeQuery.substring(0, lastAt).indexOf(':') >= 0) {
            // also user:pass/word@host, whose '/' would otherwise make the password look like a host and port
            throw new Invalid("the URL holds a password; " + PASSWORD_RULE + " (write postgresql://user@host/db;"
                    + " an '@' inside a name is written %40)");
        }
        if (rest.indexOf('#') >= 0) {
            throw new Invalid("a '#' fragment has no meaning here; " + SHAPE);
        }
        int slash = rest.indexOf('/');
        if (slash < 0 || queryMark >= 0 && queryMark < slash) {
            throw new Invalid("no database name; " + SHAPE);
        }
        String authority = rest.substring(0, slash);
        String pathAndQuery = rest.substring(slash + 1);
        int at = authority.lastIndexOf('@');
        Optional<String> user = at < 0 ? Optional.empty() : Optional.of(user(authority.substring(0, at)));
        String hostPort = authority.substring(at + 1);
        int queryStart = pathAndQuery.indexOf('?');
        String dbPart = queryStart < 0 ? pathAndQuery : pathAndQuery.substring(0, queryStart);
        Map<String, String> parameters = queryStart < 0 ? Map.of() : parameters(pathAndQuery.substring(queryStart + 1));
        String[] hp = hostAndPort(hostPort);
        return new PostgresAddress(user, hp[0], port(hp[1]), database(dbPart), parameters);
    }

    /** The user before '@', which holds no ':' (a password, refused before). */
    private static String user(String written) throws Invalid {
        if (written.isEmpty()) {
            throw new Invalid("the user name before '@' is empty; write user@host, or leave out the '@' to connect"
                    + " as PGUSER or this computer's user");
        }
        return decode(written, "the user name");
    }

    /** {@code [host, port or null]}; an IPv6 address is written in brackets. */
    private static String[] hostAndPort(String written) throws Invalid {
        if (written.isEmpty()) {
            throw new Invalid("no host; ShareMirror connects over TCP only, so name the server, like"
                    + " postgresql://db.example.com/app");
        }
        if (written.indexOf(',') >= 0) {
            throw new Invalid("more than one host; a hub is one server, so name only one");
        }
        if (written.startsWith("[")) {
            int close = written.indexOf(']');
            if (close < 0) {
                throw new Invalid("the IPv6 address has no closing ']'; write it like [::1] or [::1]:5432");
            }
            String address = written.substring(1, close);
            if (!IPV6.matcher(address).matches()) {
                throw new Invalid("the text in brackets is not an IPv6 address; expected hexadecimal digits and"
                        + " colons, like [::1] or [fe80::1]");
            }
            String after = written.substring(close + 1);
            if (!after.isEmpty() && !after.startsWith(":")) {
                throw new Invalid("unexpected text after the IPv6 address; expected [address]:port");
            }
            return new String[] {address, after.isEmpty() ? null : after.substring(1)};
        }
        int colon = written.indexOf(':');
        String host = decode(colon < 0 ? written : written.substring(0, colon), "the host");
        if (host.isEmpty()) {
            throw new Invalid("no host before the port; name the server, like postgresql://db.example.com:5432/app");
        }
        if (!HOST_NAME.matcher(host).matches()) {
            throw new Invalid("the host is not a host name; expected letters, digits, '-', '_' and '.',"
                    + " or an IPv6 address in brackets like [::1]");
        }
        return new String[] {host, colon < 0 ? null : written.substring(colon + 1)};
    }

    private static int port(String written) throws Invalid {
        if (written == null) {
            return DEFAULT_PORT;
        }
        if (!written.matches("[0-9]{1,5}") || Integer.parseInt(written) < 1 || Integer.parseInt(written) > 65535) {
            throw new Invalid("the port is not a number from 1 to 65535 (PostgreSQL's"
                    + " is " + DEFAULT_PORT + ", the default)");
        }
        return Integer.parseInt(written);
    }

    private static String database(String written) throws Invalid {
        if (written.isEmpty()) {
            throw new Invalid("no database name after the host; " + SHAPE);
        }
        if (written.indexOf('/') >= 0) {
            throw new Invalid("the database name has a '/'; write only the database"
                    + " after the host (a '/' inside the name is written %2F)");
        }
        return decode(written, "the database name");
    }

    private static Map<String, String> parameters(String query) throws Invalid {
        Map<String, String> out = new LinkedHashMap<>();
        if (query.isEmpty()) {
            return out;
        }
        for (String pair : query.split("&", -1)) {
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq), "a parameter name");
            if (name.equals("password")) {
                throw new Invalid("the URL holds a password; " + PASSWORD_RULE);
            }
            if (!PARAMETERS.contains(name)) {
                throw new Invalid((name.isEmpty() ? "an empty parameter" : "unknown parameter \"" + name + "\"")
                        + "; allowed: " + String.join(", ", PARAMETERS));
            }
            if (eq < 0 || eq == pair.length() - 1) {
                throw new Invalid("parameter " + name + " has no value; write " + name + "=value");
            }
            if (out.containsKey(name)) {
                throw new Invalid("parameter " + name + " is given twice; give it once");
            }
            out.put(name, checked(name, decode(pair.substring(eq + 1), "the value of " + name)));
        }
        return out;
    }

    private static String checked(String name, String value) throws Invalid {
        if (name.equals("sslmode") && !SSL_MODES.contains(value)) {
            throw new Invalid("sslmode \"" + value + "\" is not one of libpq's; expected one of: "
                    + String.join(", ", SSL_MODES));
        }
        if (name.equals("connect_timeout") && !(value.matches("[0-9]{1,4}") && Integer.parseInt(value) >= 1
                && Integer.parseInt(value) <= MAX_CONNECT_TIMEOUT)) {
            throw new Invalid("connect_timeout \"" + value + "\" is not usable; expected whole seconds from 1 to "
                    + MAX_CONNECT_TIMEOUT + " (a hub that never answers must not hold a sync forever)");
        }
        return value;
    }

    /** Percent-decoding as RFC 3986 means it: {@code %XX} are UTF-8 bytes; a '+' stays a '+', as in libpq. */
    private static String decode(String text, String what) throws Invalid {
        if (text.indexOf('%') < 0) {
            return text;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c != '%') {
                bytes.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
                continue;
            }
            if (i + 2 >= text.length() || Character.digit(text.charAt(i + 1), 16) < 0
                    || Character.digit(text.charAt(i + 2), 16) < 0) {
                throw new Invalid(what + " has a '%' that is not followed by two hexadecimal digits; write a"
                        + " '%' itself as %25");
            }
            bytes.write(Integer.parseInt(text.substring(i + 1, i + 3), 16));
            i += 2;
        }
        try {
            String decoded = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes.toByteArray())).toString();
            if (decoded.indexOf('\0') >= 0) {
                throw new Invalid(what + " holds %00; PostgreSQL names cannot contain a NUL");
            }
            return decoded;
        } catch (CharacterCodingException e) {
            throw new Invalid(what + " has percent-escapes that are not UTF-8");
        }
    }

    /** {@code host:port}, an IPv6 host in brackets as a URL writes it. */
    public String hostAndPort() {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }

    /** For people: {@code PostgreSQL db.example.com:5432/app}. */
    public String describe() {
        return "PostgreSQL " + hostAndPort() + "/" + database;
    }

    /** Equal for two addresses of the same database on the same server, whatever the user and parameters. */
    public String databaseKey() {
        return "postgresql://" + hostAndPort().toLowerCase(Locale.ROOT) + "/" + database;
    }

    /** The URL in one spelling: scheme {@code postgresql}, the port always written, parts percent-encoded. */
    public String url() {
        StringBuilder sb = new StringBuilder("postgresql://");
        user.ifPresent(u -> sb.append(encode(u)).append('@'));
        sb.append(hostAndPort()).append('/').append(encode(database));
        String separator = "?";
        for (Map.Entry<String, String> p : parameters.entrySet()) {
            sb.append(separator).append(p.getKey()).append('=').append(encode(p.getValue()));
            separator = "&";
        }
        return sb.toString();
    }

    /** Everything but RFC 3986's unreserved characters percent-encoded, so {@link #parse} reads it back. */
    private static String encode(String text) {
        StringBuilder sb = new StringBuilder();
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if (c < 0x80 && (Character.isLetterOrDigit(c) || "-._~".indexOf(c) >= 0)) {
                sb.append(c);
            } else {
                sb.append('%').append(String.format("%02X", b & 0xff));
            }
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return url();
    }
}
