package io.poolrepos;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import org.jetbrains.kotlinx.lincheck.Actor;
import org.jetbrains.kotlinx.lincheck.execution.ExecutionScenario;
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Options;
import org.jetbrains.lincheck.datastructures.Param;
import org.jetbrains.lincheck.datastructures.StressOptions;
import org.jetbrains.lincheck.datastructures.ThreadIdGen;
import org.jetbrains.lincheck.datastructures.Validate;
import org.junit.jupiter.api.Test;

/**
 * Checks with Lincheck that add, get and share on one name of one pool are linearizable: every result
 * a concurrent run produces must also come out of some sequential order of the same calls. The
 * sequential specification is the pool itself (Lincheck's default), run one call at a time on a fresh
 * instance, so no hand-written model can hide a difference.
 *
 * <p>The connections are plain objects behind {@link ConnectionAdapter#of}, not sockets: Lincheck runs
 * each scenario thousands of times, under model checking inside an instrumented scheduler, and compares
 * results exactly. Real sockets would add I/O the scheduler cannot control and results that depend on
 * the network; the pool only ever asks a connection whether it is alive and closes it, which these
 * objects answer deterministically.
 *
 * <p>What is checked, and what is not (see README "Linearizability check"): {@code get} and
 * {@code share} report whether they handed something out, not which connection, because the choice
 * among several idle connections is made by a scan that is not atomic and may legitimately differ from
 * the sequential choice. Every outcome that matters for exclusivity stays visible: a second hand-out of
 * one connection shows as a hit the sequential pool cannot produce, a give-back of a connection the
 * pool thinks is idle shows as a rejection, and the books must balance after every run. Besides the
 * generated scenarios, one scenario a long run once found is checked on its own (see
 * {@link #checkUnderModelChecking}).
 *
 * <p>Run sizes come from {@code -Dlincheck.iterations}, {@code -Dlincheck.invocations} and
 * {@code -Dlincheck.threads}; the Maven profile {@code lincheck-long} raises them.
 */
class PoolLinearizabilityTest {

    @Test
    void getAndGiveBackAreLinearizableUnderModelChecking() {
        modelChecking().check(ExclusivePool.class);
    }

    @Test
    void getAndGiveBackAreLinearizableUnderStress() {
        stress().check(ExclusivePool.class);
    }

    @Test
    void getAndGiveBackOnANameThreadsCompeteForAreLinearizableUnderModelChecking() {
        modelChecking().check(CrowdedPool.class);
    }

    @Test
    void getAndGiveBackOnANameThreadsCompeteForAreLinearizableUnderStress() {
        stress().check(CrowdedPool.class);
    }

    @Test
    void shareWithTwoSharersPerConnectionIsLinearizableUnderModelChecking() {
        modelChecking().check(SharablePool.class);
    }

    @Test
    void shareWithOneSharerPerConnectionIsLinearizableUnderModelChecking() {
        modelChecking().check(SingleSharerPool.class);
    }

    @Test
    void shareIsLinearizableUnderStress() {
        stress().check(SharablePool.class);
    }

    @Test
    void addOverflowIsLinearizableUnderModelChecking() {
        modelChecking().check(OverflowingPool.class);
    }

    /**
     * The history the long run once found (README "Linearizability check"): at the idle limit a new
     * connection takes the place of one on loan in two steps (the one on loan learns it lost its
     * place, then the place changes hands). A give-back of that connection in between must not
     * overflow before the place has changed hands, or a get right after it finds nothing idle
     * although the overflow says the place is full. Checked as this one scenario under model
     * checking, which tries the interleavings of the two threads instead of hoping to hit one.
     */
    @Test
    void aGiveBackRacingTheAddThatTakesItsPlaceOverflowsOnlyOnceThePlaceHasChangedHands() throws Exception {
        checkUnderModelChecking(OverflowingPool.class, List.of(),
                List.of(actor("addNew", 1)),
                List.of(actor("addNew", 2), actor("get", 2), actor("giveBack", 2), actor("get", 2)));
    }

    /**
     * Runs one scenario, found by an earlier run or written for a race, under model checking, which
     * tries its interleavings instead of hoping to hit one.
     */
    @SafeVarargs
    private static void checkUnderModelChecking(Class<? extends OneNamePool> pool, List<Actor> before,
            List<Actor>... threads) throws NoSuchMethodException {
        ExecutionScenario scenario = new ExecutionScenario(before, List.of(threads), List.of(),
                new Actor(OneNamePool.class.getMethod("booksBalance"), List.of()));
        new ModelCheckingOptions()
                .iterations(0)
                .invocationsPerIteration(Integer.getInteger("lincheck.invocations", 75) * 20)
                .addCustomScenario(scenario)
                .check(pool);
    }

    private static Actor actor(String operation, int thread) throws NoSuchMethodException {
        return new Actor(OneNamePool.class.getMethod(operation, int.class), List.of(thread));
    }

    private static ModelCheckingOptions modelChecking() {
        return sized(new ModelCheckingOptions());
    }

    private static StressOptions stress() {
        return sized(new StressOptions());
    }

    private static <O extends Options<O, ?>> O sized(O options) {
        return options
                .iterations(Integer.getInteger("lincheck.iterations", 4))
                .invocationsPerIteration(Integer.getInteger("lincheck.invocations", 75))
                .threads(Integer.getInteger("lincheck.threads", 2))
                .actorsPerThread(3)
                .actorsBefore(2)
                .actorsAfter(1);
    }

    /** A connection stand-in: alive until the pool closes it. */
    static final class FakeConnection {

        final int id;
        volatile boolean closed;

        FakeConnection(int id) {
            this.id = id;
        }

        @Override
        public String toString() {
            return "c" + id;
        }
    }

    /**
     * One pool, one name, and callers that use it as the contract says: a thread adds only connections
     * it owns, that is fresh ones or ones it took with {@code get}. (Adding a connection one does not
     * own is a caller bug the pool only detects on a best-effort basis; see README.) Each Lincheck
     * thread (the thread id is a generated parameter) has its own fresh connections and its own hand,
     * kept in this instance, so the sequential replay on a fresh instance rebuilds the same state.
     */
    public abstract static class OneNamePool {

        static final String NAME = "db:5432";
        /** Lincheck thread ids: the part before, each parallel thread, the part after; 8 is plenty. */
        private static final int MAX_THREADS = 8;

        final ConnectionPool<FakeConnection> pool;
        private final int[] freshTaken = new int[MAX_THREADS];
        private final Deque<FakeConnection>[] held = newDeques();

        OneNamePool(PoolSettings.Builder settings) {
            // A ticker that stands still makes the idle order depend on the pool's state alone (equal
            // stamps: the first place wins), so that the sequential replay can reproduce it. No
            // housekeeping thread: it would change the pool behind Lincheck's back.
            PoolRepository repository = PoolRepository.builder()
                    .housekeepingPeriod(Duration.ZERO)
                    .ticker(() -> 0L)
                    .build();
            pool = repository.pool("lincheck", ConnectionAdapter.of(FakeConnection.class,
                    c -> !c.closed, c -> c.closed = true), settings
                    .idleTimeout(Duration.ZERO)
                    .maxLifetime(Duration.ZERO)
                    .build());
        }

        @SuppressWarnings("unchecked")
        static <T> Deque<T>[] newDeques() {
            Deque<T>[] deques = new Deque[MAX_THREADS];
            for (int i = 0; i < MAX_THREADS; i++) {
                deques[i] = new ArrayDeque<>();
            }
            return deques;
        }

        /** Adds a connection the pool has never seen: the AddResult. */
        @Operation
        public String addNew(@Param(gen = ThreadIdGen.class) int thread) {
            return add(new FakeConnection(thread * 100 + freshTaken[thread]++));
        }

        /** Takes a connection for exclusive use and keeps it in this thread's hand: hit, or null. */
        @Operation
        public Object get(@Param(gen = ThreadIdGen.class) int thread) {
            return pool.get(NAME).map(c -> {
                held[thread].push(c);
                return HIT;
            }).orElse(null);
        }

        /** Gives back the connection this thread took last: the AddResult, or null if it holds none. */
        @Operation
        public String giveBack(@Param(gen = ThreadIdGen.class) int thread) {
            FakeConnection c = held[thread].poll();
            return c == null ? null : add(c);
        }

        /** The AddResult, or the rejection reason. */
        String add(FakeConnection c) {
            try {
                return pool.add(NAME, c).name();
            } catch (ConnectionRejectedException e) {
                return "REJECTED_" + e.getReason();
            }
        }

        /**
         * What a hand-out reports: only that it hit, not which connection. The choice among several
         * idle connections is a scan that is not atomic (see README), so the id may differ from the
         * sequential choice without any harm to exclusivity.
         */
        static final String HIT = "hit";

        /** Whatever the interleaving, the pool's books balance once the calls are done. */
        @Validate
        public void booksBalance() {
            pool.statistics(NAME).ifPresent(s -> {
                long open = s.adopted() - s.overflowed() - s.closedDead() - s.discarded()
                        - s.evictedIdle() - s.evictedLifetime();
                if (s.idle() + s.inUse() != open) {
                    throw new IllegalStateException("idle " + s.idle() + " + in use " + s.inUse()
                            + " != adopted minus closed " + open);
                }
            });
        }
    }

    /** Room for every connection a scenario can make, so nothing overflows. */
    public static class ExclusivePool extends OneNamePool {

        public ExclusivePool() {
            super(PoolSettings.builder().maxIdlePerName(16));
        }
    }

    /**
     * As {@link ExclusivePool}, on a name whose threads already compete (it has its crowd: each thread
     * first tries the place it took from last, counters striped), with one idle connection to begin
     * with. A scenario of a few calls never loses enough races to create the crowd by itself.
     */
    public static class CrowdedPool extends OneNamePool {

        public CrowdedPool() {
            super(PoolSettings.builder().maxIdlePerName(16));
            pool.add(NAME, new FakeConnection(-1));
            ((NameSlot<?>) pool.statistics(NAME).orElseThrow()).crowded();
        }
    }

    /** Room for one idle connection: adds beyond it overflow and close the connection. */
    public static class OverflowingPool extends OneNamePool {

        public OverflowingPool() {
            super(PoolSettings.builder().maxIdlePerName(1));
        }
    }

    /** A sharable pool: threads also lease connections, hold the leases and close them. */
    public abstract static class SharingPool extends OneNamePool {

        private final Deque<SharedLease<FakeConnection>>[] leases = newDeques();

        SharingPool(int maxSharers) {
            super(PoolSettings.builder().sharable(true).maxIdlePerName(16).maxSharersPerConnection(maxSharers));
        }

        /** Leases a connection and keeps the lease in this thread's hand: hit, or null. */
        @Operation
        public Object share(@Param(gen = ThreadIdGen.class) int thread) {
            return pool.share(NAME).map(lease -> {
                leases[thread].push(lease);
                return HIT;
            }).orElse(null);
        }

        /** Closes this thread's latest lease: true, or null if it holds none. */
        @Operation
        public Boolean release(@Param(gen = ThreadIdGen.class) int thread) {
            SharedLease<FakeConnection> lease = leases[thread].poll();
            if (lease == null) {
                return null;
            }
            lease.close();
            return true;
        }

        /** Adds the connection of this thread's latest open lease, which the pool must refuse. */
        @Operation
        public String addLeased(@Param(gen = ThreadIdGen.class) int thread) {
            SharedLease<FakeConnection> lease = leases[thread].peek();
            return lease == null ? null : add(lease.connection());
        }
    }

    /** Up to two sharers per connection. */
    public static class SharablePool extends SharingPool {

        public SharablePool() {
            super(2);
        }
    }

    /** One sharer per connection: a second share must find another connection or come back empty. */
    public static class SingleSharerPool extends SharingPool {

        public SingleSharerPool() {
            super(1);
        }
    }
}
