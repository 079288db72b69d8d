package io.sharemirror.status;

import java.util.List;

/**
 * What a look at a database file found before it is added, one plain-language line per question: can it be reached, is
 * it an SQLite database, in which journal mode, may this user write it, where does it lie (and so what
 * {@code enable_cache: auto} does), how big is it, which tables does it have and which of them cannot be mirrored. For
 * a hub on PostgreSQL: does its URL parse, does the server let this user in, and is the database a hub already.
 */
public record FileCheck(List<Finding> findings) {

    /** The questions, in the order the dialog shows their answers; a PostgreSQL hub's come first. */
    public enum Topic { URL, SERVER, HUB, REACHABLE, SQLITE, JOURNAL, ACCESS, PLACEMENT, SIZE, TABLES, NOT_MIRRORED }

    /** A problem stops the database from being added; a note is worth knowing. */
    public enum Verdict { GOOD, NOTE, PROBLEM }

    public record Finding(Topic topic, Verdict verdict, String text) {
    }

    public FileCheck {
        findings = List.copyOf(findings);
    }

    /** No finding stops it. */
    public boolean usable() {
        return findings.stream().noneMatch(f -> f.verdict() == Verdict.PROBLEM);
    }

    /** The check with one more finding. */
    public FileCheck with(Finding finding) {
        List<Finding> all = new java.util.ArrayList<>(findings);
        all.add(finding);
        return new FileCheck(all);
    }
}
