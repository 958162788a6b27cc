#!/bin/sh
# Builds the bench jar and rewrites bench/results/: pipit beside Eclipse Paho and the HiveMQ client through one
# local mosquitto (Comparison, ~10 min on 2 cores), then the 10,000-device scale test (ScaleTest, ~5 min).
# Needs: JDK 17, Maven, mosquitto on PATH or in /usr/sbin, and an open-file limit above 11,024 (ulimit -n).
set -e
cd "$(dirname "$0")/.."
mvn -B -q -pl bench -am package -DskipTests
# Each main exits 1 when a run was invalid (the tables say which); run both and report the worse status.
status=0
java -cp bench/target/benchmarks.jar io.pipit.bench.e2e.Comparison --out bench/results || status=$?
java -cp bench/target/benchmarks.jar io.pipit.bench.scale.ScaleTest --out bench/results || status=$?
exit $status
