package io.poolrepos.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Each adapter must really take and give back connections, or the benchmark would measure nothing.
 * No timing here: the benchmarks run only by hand.
 */
class AdaptersTest {

    private static final String[] NAMES = {"a.example:1", "b.example:2"};

    @ParameterizedTest
    @EnumSource(value = Impl.class, names = "ROUND_ROBIN", mode = EnumSource.Mode.EXCLUDE)
    void getHandsOutEachPrefilledConnectionOnceAndAddMakesThemIdleAgain(Impl impl) {
        try (ExclusivePool pool = impl.exclusive(NAMES, 3)) {
            for (String name : NAMES) {
                List<Object> taken = takeAll(pool, name, 3);
                assertThat(connections(pool, taken)).as("distinct connections of %s", name).hasSize(3);
                taken.forEach(h -> pool.add(name, h));
                assertThat(connections(pool, takeAll(pool, name, 3)))
                        .as("the same connections come back").isEqualTo(connections(pool, taken));
            }
        }
    }

    @ParameterizedTest
    @EnumSource(value = Impl.class, names = {"CAS_SLOTS", "CHM_DEQUE", "SEED", "HIKARI_BAG", "OURS", "BARE_RECORDS"})
    void getFindsNothingWhenEveryConnectionIsOut(Impl impl) {
        try (ExclusivePool pool = impl.exclusive(NAMES, 2)) {
            takeAll(pool, NAMES[0], 2);
            assertThat(pool.get(NAMES[0])).isNull();
            assertThat(pool.get(NAMES[1])).as("other names are untouched").isNotNull();
        }
    }

    @ParameterizedTest
    @EnumSource(value = Impl.class, names = {"OURS", "SEED", "ROUND_ROBIN"})
    void shareLeasesEveryConnectionInTurnAndLeavesThemInThePool(Impl impl) {
        try (SharingPool pool = impl.sharing(NAMES, 2)) {
            Set<Conn> seen = new HashSet<>();
            List<Object> leases = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                Object lease = pool.share(NAMES[0]);
                assertThat(lease).isNotNull();
                seen.add(pool.leasedConnection(lease));
                leases.add(lease);
            }
            assertThat(seen).as("both connections are leased, each more than once").hasSize(2);
            leases.forEach(pool::release);
            assertThat(pool.share(NAMES[0])).isNotNull();
        }
    }

    private static List<Object> takeAll(ExclusivePool pool, String name, int count) {
        List<Object> taken = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Object handle = pool.get(name);
            assertThat(handle).as("get %d of %s", i, name).isNotNull();
            taken.add(handle);
        }
        return taken;
    }

    private static Set<Conn> connections(ExclusivePool pool, List<Object> handles) {
        Set<Conn> conns = new HashSet<>();
        handles.forEach(h -> conns.add(pool.connection(h)));
        return conns;
    }
}
