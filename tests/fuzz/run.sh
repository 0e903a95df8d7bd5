#!/usr/bin/env bash
# Runs every fuzz target of a fuzz build for SECONDS each, one after another, at the lowest CPU
# priority, one libFuzzer process at a time. New inputs go to BUILD/fuzz-corpus/<name>, so the seed
# corpora in the repository stay as they are; a crash or leak is written to BUILD/fuzz-artifacts/.
#
#   tests/fuzz/run.sh BUILD_DIR [SECONDS]      (default 600 seconds per target)
set -euo pipefail
build=$(cd "$1" && pwd)
seconds=${2:-600}
here=$(cd "$(dirname "$0")" && pwd)
status=0
for name in scenario zarray blosc lzf results filenames bcolzmeta zarrjson shardindex; do
    bin="$build/tests/fuzz/fuzz_$name"
    work="$build/fuzz-corpus/$name"
    artifacts="$build/fuzz-artifacts/$name/"
    mkdir -p "$work" "$artifacts"
    echo "fuzz: $name for $seconds s" >&2
    if ! nice -n 19 "$bin" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
        -artifact_prefix="$artifacts" "$work" "$here/corpus/$name" 2>"$build/fuzz-$name.log"; then
        echo "fuzz: $name found a problem; see $build/fuzz-$name.log and $artifacts" >&2
        status=1
    fi
    grep -E '^(#[0-9]+[[:space:]]+DONE|stat::number_of_executed_units|stat::peak_rss_mb)' "$build/fuzz-$name.log" >&2 || true
done
exit $status
