#!/usr/bin/env bash
# Fuzz the record decoder and merge with libFuzzer for SECONDS (default 180).
# Usage: scripts/fuzz.sh [SECONDS]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-180}
mkdir -p .build-fuzz Fuzz/corpus-run
swiftc -sanitize=fuzzer,address -parse-as-library -O \
  $(find Sources/GlossCore -name '*.swift') Fuzz/RecordFuzzer.swift -o .build-fuzz/record-fuzzer
cp Fuzz/corpus/* Fuzz/corpus-run/ 2>/dev/null || true
ASAN_OPTIONS=detect_leaks=0 .build-fuzz/record-fuzzer -max_total_time="$seconds" -max_len=4096 \
  -print_final_stats=1 Fuzz/corpus-run
