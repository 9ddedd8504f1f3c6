package io.poolrepos;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/** A lease on a shared connection; closing it releases the share exactly once. Thread-safe. */
final class DefaultSharedLease<C> implements SharedLease<C> {

    private static final VarHandle OPEN;

    static {
        try {
            OPEN = MethodHandles.lookup().findVarHandle(DefaultSharedLease.class, "open", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final NameSlot<C> slot;
    private final PooledConnection<C> entry;
    private volatile boolean open = true;

    DefaultSharedLease(NameSlot<C> slot, PooledConnection<C> entry) {
        this.slot = slot;
        this.entry = entry;
    }

    /** The lease of a share the caller holds on {@code e}, counted as a share. */
    static <C> SharedLease<C> joined(NameSlot<C> slot, PooledConnection<C> e) {
        if (slot.context.isClosed()) {
            // close() may have passed it before we joined; the lease closes it on release.
            slot.retire(e, CloseCause.DISCARDED);
        }
        slot.countShare();
        return new DefaultSharedLease<>(slot, e);
    }

    @Override
    public C connection() {
        return entry.connection;
    }

    @Override
    public String name() {
        return slot.name;
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    @Override
    public void close() {
        if (OPEN.compareAndSet(this, true, false)) {
            slot.releaseShare(entry);
        }
    }

    @Override
    public String toString() {
        return "SharedLease[" + slot.poolName() + "/" + NameMasking.mask(slot.name) + (open ? "" : ", closed") + "]";
    }
}
