#!/usr/bin/env bash
# Builds the benchmarks jar and runs the whole suite (a few minutes on 2 cores), printing a table of
# ops/µs with ratios ours/peer and each goal marked met or not met. Extra arguments go to the suite (--quick).
# For single benchmarks use JMH directly: java -jar pool-repos-benchmarks/target/benchmarks.jar -h
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -q -pl pool-repos-benchmarks -am package -DskipTests
echo "load before the run: $(uptime)"
java -Djdk.attach.allowAttachSelf=true -cp pool-repos-benchmarks/target/benchmarks.jar \
    io.poolrepos.benchmarks.Suite "$@" 2>&1 | grep -v '^SLF4J'
echo "load after the run: $(uptime)"
