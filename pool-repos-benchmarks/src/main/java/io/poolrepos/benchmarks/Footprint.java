package io.poolrepos.benchmarks;

import io.poolrepos.PoolRepository;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.openjdk.jol.info.GraphLayout;

/**
 * Bytes a pool spends per idle connection and per name, measured with JOL by walking everything the
 * pool object reaches, minus what the user owns (the connections and the name strings).
 *
 * <ul>
 *   <li>per idle connection = (footprint of {@code NAMES} names with {@code MANY} idle connections each
 *       − footprint with 1 each) / (NAMES × (MANY − 1));</li>
 *   <li>per name = (footprint of 2 × NAMES names with 1 each − footprint of NAMES names with 1 each)
 *       / NAMES − per idle connection.</li>
 * </ul>
 * Our repository is built without its housekeeping thread here so that the walk does not wander
 * through the thread's internals; the thread is one per repository and costs nothing per name.
 * Not thread-safe; run from one thread.
 */
final class Footprint {

    static final int NAMES = 1000;
    static final int MANY = 8;

    /** Bytes per idle connection and per name. */
    record Cost(double perConnection, double perName) {
    }

    private Footprint() {
    }

    static Map<Impl, Cost> measureAll() {
        Map<Impl, Cost> costs = new LinkedHashMap<>();
        for (Impl impl : Impl.values()) {
            if (impl != Impl.ROUND_ROBIN) {
                costs.put(impl, measure(impl));
            }
        }
        return costs;
    }

    static Cost measure(Impl impl) {
        // A first walk, discarded: JOL caches what it learns of a class on the Class object itself, and
        // a pool reaches some Class objects (its connection type); those caches would otherwise appear
        // in whichever of the three walks below comes first to them, as a few hundred bytes of nobody's.
        bytes(impl, NAMES, 1);
        long oneEach = bytes(impl, NAMES, 1);
        long manyEach = bytes(impl, NAMES, MANY);
        long twiceTheNames = bytes(impl, 2 * NAMES, 1);
        double perConnection = (double) (manyEach - oneEach) / (NAMES * (MANY - 1));
        double perName = (double) (twiceTheNames - oneEach) / NAMES - perConnection;
        return new Cost(perConnection, perName);
    }

    /** Bytes the pool reaches with {@code names} names of {@code perName} idle connections, less the user's objects. */
    static long bytes(Impl impl, int names, int perName) {
        String[] nameArray = Impl.names(names);
        ExclusivePool pool = impl == Impl.OURS
                ? new OursPool(PoolRepository.builder().housekeepingPeriod(Duration.ZERO).build(), nameArray, perName, false)
                : impl.exclusive(nameArray, perName);
        try {
            GraphLayout layout = GraphLayout.parseInstance(pool);
            GraphLayout users = GraphLayout.parseInstance((Object) nameArray);
            long conns = layout.getClassSizes().count(Conn.class);
            return layout.subtract(users).totalSize() - conns;
        } finally {
            pool.close();
        }
    }

    public static void main(String[] args) {
        measureAll().forEach((impl, cost) -> System.out.printf("%-14s %8.1f B/idle connection %8.1f B/name%n",
                impl.key, cost.perConnection(), cost.perName()));
    }
}
