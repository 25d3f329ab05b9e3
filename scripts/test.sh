#!/usr/bin/env bash
# The test suite, as the README gives it and CI runs it: every test of `swift test`, in two parts.
#
# 1. The two randomized convergence property tests (1,000 seeds each, ConvergencePropertyTests and
#    PartitionConvergenceTests), alone: together they take ~30-40 s on 2 cores. Inside one
#    `swift test` they share the cores with ~250 other tests and their servers and `gloss`
#    children, and take 46-99 s depending on when Swift Testing happens to start them.
# 2. Everything else, in parallel as `swift test` runs it.
#
# `swift test` alone runs the same tests at once. Seeds and the medium of the property tests'
# stores can be changed with GLOSS_SEEDS, GLOSS_PROPERTY_SEEDS, GLOSS_SEED_BASE, GLOSS_STORE_MEDIUM
# (see README, Development).
set -euo pipefail
cd "$(dirname "$0")/.."
[ -d /opt/swift/usr/bin ] && export PATH="/opt/swift/usr/bin:$PATH"

property='ConvergencePropertyTests|PartitionConvergenceTests'
swift build --build-tests
swift test --skip-build --filter "$property"
swift test --skip-build --skip "$property"
