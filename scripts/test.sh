#!/usr/bin/env bash
# The test suite, as the README gives it and CI runs it: every test of `swift test`, in three parts.
#
# 1. The randomized property tests (ConvergencePropertyTests and PartitionConvergenceTests, 1,000
#    seeds each, and CopiedStorePropertyTests, 300 seeds on files), alone: together they take
#    ~45-50 s on 2 cores. Inside one `swift test` they share the cores with ~300 other tests and
#    their servers and `gloss` children, and the first two took 46-99 s alone, depending on when
#    Swift Testing happened to start them.
# 2. The server's tests (GlossServerTests), alone: they run Hummingbird servers inside the test
#    process, whose handlers need Swift's few cooperative threads (one per core). The end-to-end
#    tests block those threads while their `gloss` children run, and once, in a full parallel run
#    under load 8, kept such a server from starting for 90 s. Alone they take ~3 s.
# 3. Everything else, in parallel as `swift test` runs it.
#
# `swift test` alone runs the same tests at once. Seeds and the medium of the property tests'
# stores can be changed with GLOSS_SEEDS, GLOSS_PROPERTY_SEEDS, GLOSS_SEED_BASE, GLOSS_STORE_MEDIUM
# (see README, Development).
set -euo pipefail
cd "$(dirname "$0")/.."
[ -d /opt/swift/usr/bin ] && export PATH="/opt/swift/usr/bin:$PATH"

property='ConvergencePropertyTests|PartitionConvergenceTests|CopiedStorePropertyTests'
server='GlossServerTests\.'
swift build --build-tests
swift test --skip-build --filter "$property"
swift test --skip-build --filter "$server"
swift test --skip-build --skip "$property|$server"
