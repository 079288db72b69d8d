package io.sharemirror.sync;

/** A way out of a waiting change that cannot be taken as asked: it says why, and what can be done instead. */
public final class WayOutRefused extends StoreException {

    public WayOutRefused(String message, String hint) {
        super(Kind.CONSTRAINT, message, hint, null);
    }

    /** The values a person typed to get past a clash meet one again, {@code where} ("here", "on the hub"). */
    public static WayOutRefused stillClashes(Clash clash, String where) {
        return new WayOutRefused(clash.key().describe() + " with the values typed breaks " + clash.constraint() + " "
                + where + (clash.other() == null ? "" : ": " + clash.values() + " is held by " + clash.other().describe()),
                "type other values");
    }
}
