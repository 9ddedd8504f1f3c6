#!/usr/bin/env bash
# Builds the benchmarks jar and runs the whole suite (a few minutes on 2 cores), printing a table of
# ops/µs with ratios ours/peer and each goal marked met or not met. Extra arguments go to the suite (--quick).
# With request-reply as the first argument it runs the request/reply suite instead (--long for a longer run),
# with oversubscribed the oversubscribed acquire/give-back suite (--long too; virtual threads need a JDK 21+).
# The JVM is $JAVA_HOME/bin/java when JAVA_HOME is set, else java from the PATH.
# JAVA_OPTS go to the JVM that runs the suite (-Djmh.ignoreLock=true when another JMH run holds JMH's lock).
# For single benchmarks use JMH directly: java -jar pool-repos-benchmarks/target/benchmarks.jar -h
set -euo pipefail
cd "$(dirname "$0")/.."
main=Suite
case "${1:-}" in
    request-reply) main=RequestReplySuite; shift ;;
    oversubscribed) main=OversubscribedSuite; shift ;;
esac
./mvnw -q -pl pool-repos-benchmarks -am package -DskipTests
echo "load before the run: $(uptime)"
# shellcheck disable=SC2086 # JAVA_OPTS is a list of options
"${JAVA_HOME:+$JAVA_HOME/bin/}java" ${JAVA_OPTS:-} -Djdk.attach.allowAttachSelf=true -cp pool-repos-benchmarks/target/benchmarks.jar \
    "io.poolrepos.benchmarks.$main" "$@" 2>&1 | grep -v '^SLF4J'
echo "load after the run: $(uptime)"
