#!/usr/bin/env bash
# What an app ships for MQTT: pipit (sdk-core + sdk-android + slf4j-api) beside HiveMQ's MQTT client and
# Eclipse Paho's MQTT v5 client, each with its runtime dependencies as Maven resolves them.
# Run from the repository root: bash sdk-android/jar-sizes.sh   (needs the peers in ~/.m2, or network once)
set -euo pipefail
root=$(pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

mvn -B -q -o -pl sdk-core,sdk-android -am package -DskipTests >"$work/build.log" 2>&1 \
    || { cat "$work/build.log"; exit 1; }
slf4j=$(ls ~/.m2/repository/org/slf4j/slf4j-api/2.0.17/slf4j-api-2.0.17.jar)

closure() { # group artifact version -> directory with its runtime jars
    mkdir -p "$work/$2"
    cat >"$work/$2/pom.xml" <<POM
<project xmlns="http://maven.apache.org/POM/4.0.0"><modelVersion>4.0.0</modelVersion>
<groupId>size</groupId><artifactId>$2-closure</artifactId><version>1</version>
<dependencies><dependency><groupId>$1</groupId><artifactId>$2</artifactId><version>$3</version></dependency>
</dependencies></project>
POM
    (cd "$work/$2" && mvn -B -q dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory=lib \
        >"$work/$2/log" 2>&1) || { cat "$work/$2/log"; exit 1; }
}

report() { # label jars...
    local label=$1; shift
    local total
    total=$(stat -c %s "$@" | awk '{s += $1} END {print s}')
    printf '%-34s %3d jars %10d bytes (%d KiB)\n' "$label" "$#" "$total" $((total / 1024))
}

closure com.hivemq hivemq-mqtt-client 1.3.10
closure org.eclipse.paho org.eclipse.paho.mqttv5.client 1.2.5
report "pipit sdk-core" "$root"/sdk-core/target/sdk-core-*[0-9T].jar
report "pipit sdk-android" "$root"/sdk-android/target/sdk-android-*[0-9T].jar
report "pipit sdk-core+sdk-android+slf4j" "$root"/sdk-core/target/sdk-core-*[0-9T].jar \
    "$root"/sdk-android/target/sdk-android-*[0-9T].jar "$slf4j"
report "HiveMQ client 1.3.10 + deps" "$work"/hivemq-mqtt-client/lib/*.jar
report "Paho mqttv5 1.2.5 + deps" "$work"/org.eclipse.paho.mqttv5.client/lib/*.jar
