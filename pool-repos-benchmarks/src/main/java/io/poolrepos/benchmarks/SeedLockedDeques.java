package io.poolrepos.benchmarks;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The seed's design: one lock per repository over a deque per name. get = poll under the lock,
 * add = push under the lock, share = take the head under the lock and put it back at the tail (the
 * lease needs no release). Liveness is checked on get and add, like
 * pool-repos does, so that both do the same work around the lock.
 */
final class SeedLockedDeques implements ExclusivePool, SharingPool {

    private final ReentrantLock lock = new ReentrantLock();
    private final HashMap<String, ArrayDeque<Conn>> deques = new HashMap<>();

    SeedLockedDeques(String[] names, int perName) {
        for (String name : names) {
            ArrayDeque<Conn> deque = new ArrayDeque<>();
            for (int i = 0; i < perName; i++) {
                deque.addFirst(new Conn());
            }
            deques.put(name, deque);
        }
    }

    @Override
    public Object get(String name) {
        lock.lock();
        try {
            ArrayDeque<Conn> deque = deques.get(name);
            Conn c = deque == null ? null : deque.pollFirst();
            return c != null && c.isAlive() ? c : null;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void add(String name, Object handle) {
        Conn c = (Conn) handle;
        if (!c.isAlive()) {
            return;
        }
        lock.lock();
        try {
            deques.computeIfAbsent(name, n -> new ArrayDeque<>()).addFirst(c);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public Object share(String name) {
        lock.lock();
        try {
            ArrayDeque<Conn> deque = deques.get(name);
            Conn c = deque == null ? null : deque.pollFirst();
            if (c != null) {
                deque.addLast(c);
            }
            return c;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void release(Object lease) {
        // The seed's share hands out the connection itself; there is nothing to give back.
    }

    @Override
    public void close() {
        lock.lock();
        try {
            deques.clear();
        } finally {
            lock.unlock();
        }
    }
}
