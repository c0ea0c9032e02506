#!/usr/bin/env bash
# Copies the Apache Kafka broker's jars (test/brokers/kafka/pom.xml) from Maven
# Central into a cache folder and prints that folder. The event tests start a
# KRaft broker from it when APIGEN_KAFKA_LIBS names it (.ci/run does this).
# Needs Java 17+ and Maven. Usage: export APIGEN_KAFKA_LIBS="$(scripts/kafka-broker.sh)"
set -euo pipefail
cd "$(dirname "$0")/.."
version="$(sed -n 's:.*<kafka.version>\(.*\)</kafka.version>.*:\1:p' test/brokers/kafka/pom.xml)"
dir="${XDG_CACHE_HOME:-$HOME/.cache}/apigen/kafka-$version"
if [ ! -f "$dir/.complete" ]; then
  mkdir -p "$dir"
  mvn -q -B -Dstyle.color=never -f test/brokers/kafka/pom.xml dependency:copy-dependencies -DoutputDirectory="$dir" >&2
  touch "$dir/.complete"
fi
echo "$dir"
