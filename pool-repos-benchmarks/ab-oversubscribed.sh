#!/usr/bin/env bash
# A/B of the oversubscribed acquire/give-back scenario (OversubscribedRun) between two commits of the
# core, for instance before and after fair waiting:
#     ./pool-repos-benchmarks/ab-oversubscribed.sh d406e91 HEAD [--seconds N --warmup N --hold-micros N]
# Compiles each commit's pool-repos-core main sources and the current OversubscribedRun.java (which uses
# only the public API both have) with javac into pool-repos-benchmarks/target/ab/<commit>, then runs the
# two alternately, two rounds, each in a JVM of its own. Extra arguments go to OversubscribedRun.
# The JVM is $JAVA_HOME/bin/java when JAVA_HOME is set, else java from the PATH; the 2,000-virtual-thread
# scenario needs a JDK 21+: JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64 ./pool-repos-benchmarks/ab-oversubscribed.sh ...
set -euo pipefail
cd "$(dirname "$0")/.."
old=${1:?usage: ab-oversubscribed.sh <commit A> <commit B> [OversubscribedRun arguments]}
new=${2:?usage: ab-oversubscribed.sh <commit A> <commit B> [OversubscribedRun arguments]}
shift 2
bin="${JAVA_HOME:+$JAVA_HOME/bin/}"
runner=pool-repos-benchmarks/src/main/java/io/poolrepos/benchmarks/OversubscribedRun.java
build() {
    local dir=pool-repos-benchmarks/target/ab/$1
    rm -rf "$dir"
    mkdir -p "$dir/src" "$dir/core" "$dir/run"
    git archive "$1" pool-repos-core/src/main/java | tar -x -C "$dir/src"
    find "$dir/src" -name '*.java' > "$dir/sources"
    "${bin}javac" --release 17 -nowarn -d "$dir/core" @"$dir/sources"
    "${bin}javac" --release 17 -cp "$dir/core" -d "$dir/run" "$runner"
    echo "$dir/core:$dir/run"
}
cp_old=$(build "$old")
cp_new=$(build "$new")
echo "A = $old ($(git log -1 --format=%s "$old" | cut -c1-80)...)"
echo "B = $new ($(git log -1 --format=%s "$new" | cut -c1-80)...)"
echo "load before the run: $(uptime)"
for round in 1 2; do
    for side in A B; do
        if [ $side = A ]; then classpath=$cp_old; else classpath=$cp_new; fi
        echo "round $round, $side:"
        "${bin}java" -Xms256m -Xmx256m -XX:+AlwaysPreTouch -cp "$classpath" \
            io.poolrepos.benchmarks.OversubscribedRun "$@" | sed "s/^ours /$side    /"
    done
done
echo "load after the run: $(uptime)"
