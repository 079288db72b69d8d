package io.sharemirror.sync;

/**
 * One schema change to make on one side, as the three-way schema merge plans it: {@code from} is what that side has
 * now (null for a create), {@code into} what it must have (null for a drop).
 */
public record SchemaStep(Side on, Kind kind, SchemaObject from, SchemaObject into) {

    /** Where a change is made. */
    public enum Side { HUB, REPLICA }

    /** What is done there. */
    public enum Kind { CREATE, DROP, ALTER, RENAME }

    /** The name of the table the step is about, as it will be named. */
    public String table() {
        return (into != null ? into : from).table();
    }
}
