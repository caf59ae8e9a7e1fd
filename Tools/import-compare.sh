#!/usr/bin/env bash
# Two builds of `colfile import` on the same inputs, for a change that must not change what the
# import writes:
#   Tools/import-compare.sh OLD_COLFILE NEW_COLFILE THREADS INPUT.csv [INPUT.csv …]
# Each input is imported by both builds with `--threads THREADS`, and once more with
# `--compress zstd`; prints, per import, the sizes, the number of differing bytes (`cmp -l`: 20
# expected, the random file id and the header CRC, now and then 19 when a random byte matches) and
# the md5 of each file's `colfile export`. Fails when an import fails or the sizes or exports differ.
set -euo pipefail
old=$1; new=$2; threads=$3; shift 3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# The exports decode the zstd files' cold columns through the decode cache: one entry per column
# of each file, never reused (every import has a new file id), so they go to the work folder.
export COLFILE_CACHE_DIR="$work/cache"
status=0
for input in "$@"; do
    for options in "" "--compress zstd"; do
        # shellcheck disable=SC2086  # the options are words
        "$old" import -q --threads "$threads" $options "$input" "$work/old.col"
        # shellcheck disable=SC2086
        "$new" import -q --threads "$threads" $options "$input" "$work/new.col"
        differing=$(cmp -l "$work/old.col" "$work/new.col" 2>&1 | wc -l || true)
        old_size=$(stat -c %s "$work/old.col"); new_size=$(stat -c %s "$work/new.col")
        old_export=$("$old" export "$work/old.col" | md5sum | cut -c1-12)
        new_export=$("$new" export "$work/new.col" | md5sum | cut -c1-12)
        echo "$(basename "$input") ${options:-plain}: sizes $old_size / $new_size, differing bytes $differing, export md5 $old_export / $new_export"
        if [ "$old_size" != "$new_size" ] || [ "$old_export" != "$new_export" ]; then status=1; fi
        rm -f "$work/old.col" "$work/new.col"
    done
done
exit "$status"
