package io.sharemirror.sync;

/**
 * A plan met a replica that changed since the plan was made (an application wrote one of its keys meanwhile); nothing
 * of it was written. The engine plans again from what is there now.
 */
public final class PlanOutdatedException extends StoreException {

    public PlanOutdatedException(String what) {
        super(Kind.BUSY, what, "an application kept writing the rows being synced; the next cycle tries again", null);
    }
}
