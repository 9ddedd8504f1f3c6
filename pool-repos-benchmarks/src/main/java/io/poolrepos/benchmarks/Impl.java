package io.poolrepos.benchmarks;

/**
 * Every implementation measured, by the short name used in JMH's {@code impl} parameter and in the
 * printed table. {@link #OURS} comes first; the others are the peers it is compared with.
 */
enum Impl {
    OURS("ours"),
    COMMONS_POOL2_DEFAULTS("cp2-defaults"),
    COMMONS_POOL2_TUNED("cp2-tuned"),
    REACTOR_POOL("reactor"),
    HIKARI_BAG("hikari-bag"),
    CHM_DEQUE("chm-deque"),
    CAS_SLOTS("cas-slots"),
    SEED("seed"),
    ROUND_ROBIN("round-robin"),
    BARE_RECORDS("bare-records");

    final String key;

    Impl(String key) {
        this.key = key;
    }

    static Impl of(String key) {
        for (Impl impl : values()) {
            if (impl.key.equals(key)) {
                return impl;
            }
        }
        throw new IllegalArgumentException("unknown impl '" + key + "'");
    }

    /** The get + add adapter, its names prefilled with {@code perName} idle connections each. */
    ExclusivePool exclusive(String[] names, int perName) {
        return switch (this) {
            case OURS -> new OursPool(names, perName, false);
            case COMMONS_POOL2_DEFAULTS -> new CommonsPool2(names, perName, false);
            case COMMONS_POOL2_TUNED -> new CommonsPool2(names, perName, true);
            case REACTOR_POOL -> new ReactorPools(names, perName);
            case HIKARI_BAG -> new HikariBags(names, perName);
            case CHM_DEQUE -> new ChmDeques(names, perName);
            case CAS_SLOTS -> new CasSlots(names, perName);
            case SEED -> new SeedLockedDeques(names, perName);
            case ROUND_ROBIN -> throw new IllegalArgumentException("round-robin only shares");
            case BARE_RECORDS -> new BareRecords(names, perName);
        };
    }

    /** The share + release adapter, prefilled likewise. */
    SharingPool sharing(String[] names, int perName) {
        return switch (this) {
            case OURS -> new OursPool(names, perName, true);
            case SEED -> new SeedLockedDeques(names, perName);
            case ROUND_ROBIN -> new RoundRobinShares(names, perName);
            default -> throw new IllegalArgumentException(key + " does not share");
        };
    }

    /** Names like real ones ({@code host:port}), distinct, with their hash codes already computed. */
    static String[] names(int count) {
        String[] names = new String[count];
        for (int i = 0; i < count; i++) {
            names[i] = "host-" + i + ".example:" + (5000 + i % 1000);
            names[i].hashCode();
        }
        return names;
    }
}
