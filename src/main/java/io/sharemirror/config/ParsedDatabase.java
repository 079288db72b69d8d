package io.sharemirror.config;

import io.sharemirror.paths.PostgresAddress;
import org.yaml.snakeyaml.nodes.Node;

/**
 * One database as the file describes it, with the nodes its problems point at. {@code config} is set only when all of
 * it is valid; name and location may be known without it, for the checks across databases.
 */
final class ParsedDatabase {

    /** Where in the document: {@code database} or {@code databases[2]}. */
    final String yamlPath;
    /** The whole entry; a problem about a key that is missing points here. */
    final Node node;
    String name;
    Node nameNode;
    /** {@code path} as written. */
    String rawPath;
    /** {@code path} resolved, as {@link DatabaseConfig#location()}. */
    String location;
    Node pathNode;
    /** The server and database when {@code path} is a {@code postgresql://} URL, else null. */
    PostgresAddress postgres;
    DatabaseConfig config;

    ParsedDatabase(String yamlPath, Node node) {
        this.yamlPath = yamlPath;
        this.node = node;
    }

    /** Where a problem about the database's file is shown: its {@code path:} value, else the entry. */
    Node pathOrEntry() {
        return pathNode != null ? pathNode : node;
    }
}
