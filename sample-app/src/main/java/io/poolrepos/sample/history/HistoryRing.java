package io.poolrepos.sample.history;

import java.util.ArrayList;
import java.util.List;

/**
 * The last {@code capacity} samples, oldest first; adding one more drops the oldest, so memory stays
 * bounded whatever the run time. Thread-safe: one thread adds while any number read copies.
 */
final class HistoryRing {

    private final Sample[] samples;
    private int next;
    private int size;

    HistoryRing(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1, was " + capacity);
        }
        this.samples = new Sample[capacity];
    }

    synchronized void add(Sample sample) {
        samples[next] = sample;
        next = (next + 1) % samples.length;
        size = Math.min(size + 1, samples.length);
    }

    /** A copy of the samples held now, oldest first. */
    synchronized List<Sample> samples() {
        List<Sample> copy = new ArrayList<>(size);
        int first = (next - size + samples.length) % samples.length;
        for (int i = 0; i < size; i++) {
            copy.add(samples[(first + i) % samples.length]);
        }
        return copy;
    }

    int capacity() {
        return samples.length;
    }
}
