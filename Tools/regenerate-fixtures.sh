#!/bin/sh
# Rewrites the golden .col and .json files in Fixtures/ (Tests/ColFileTestSupport/GoldenFixtures.swift),
# every broken/*.col (the catalog Fixtures/broken/catalog.json, each fixture's edit in
# Tests/ColFileTestSupport/BrokenFixtureEdits.swift) and the datasets in Fixtures/datasets/
# (Tests/ColFileTestSupport/DatasetFixtures.swift; their catalog, datasets/broken/catalog.json, is
# written by hand). Review the diff before
# committing: a change to a golden file's bytes is a change to the file format. The cold-column seeds
# in Fixtures/fuzz-corpus/ (the base of some broken fixtures) are written by
# `ColFileFuzzer --make-seeds Fixtures/fuzz-corpus` instead (RELIABILITY.md).
# Extra arguments go to `swift test`, e.g. `Tools/regenerate-fixtures.sh --scratch-path .build-tests`.
set -eu
cd "$(dirname "$0")/.."
COLFILE_REGENERATE_FIXTURES=1 swift test --filter 'GoldenFixtureTests/regenerateFixtures|DatasetFixtureTests/regenerateDatasetFixtures' "$@"
