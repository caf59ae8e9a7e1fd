#!/bin/sh
# Rewrites every file in Fixtures/ (golden .col and .json files, broken/*.col) from the catalogs in
# Tests/ColFileTestSupport/GoldenFixtures.swift and BrokenFixtures.swift. Review the diff before
# committing: a change to a golden file's bytes is a change to the file format.
# Extra arguments go to `swift test`, e.g. `Tools/regenerate-fixtures.sh --scratch-path .build-tests`.
set -eu
cd "$(dirname "$0")/.."
COLFILE_REGENERATE_FIXTURES=1 swift test --filter 'GoldenFixtureTests/regenerateFixtures' "$@"
