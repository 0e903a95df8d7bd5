#!/bin/sh
# Regenerates the README's pictures:
#  - the window, from tst_windowlayout's screenshots: the test renders the main window at three sizes
#    and several states, and this copies the one the README shows;
#  - with --notebook, the two profiles of "Where the time went", from `chunkscope run` on
#    resources/examples/notebook-question.json (1.6 GB copies: use a release build on a quiet machine).
#   tests/gui/readme-pictures.sh [BUILD_DIR] [--notebook RELEASE_BUILD_DIR]     (default build/debug)
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
build="$root/build/debug"
notebook=
while [ $# -gt 0 ]; do
    case "$1" in
    --notebook) notebook=$2; shift 2 ;;
    *) build=$1; shift ;;
    esac
done
shots=$(mktemp -d)
trap 'rm -rf "$shots"' EXIT
CHUNKSCOPE_SCREENSHOTS="$shots" QT_QPA_PLATFORM=offscreen "$build/tests/gui/tst_windowlayout" >/dev/null
cp "$shots/compare2-1600x1000.png" "$root/resources/readme/main-window.png"
echo "resources/readme/main-window.png: the comparison of two runs at 1600x1000"
echo "every screenshot: run with CHUNKSCOPE_SCREENSHOTS=DIR to keep them ($(ls "$shots" | wc -l) pictures)"
if [ -n "$notebook" ]; then
    QT_QPA_PLATFORM=offscreen "$notebook/app/chunkscope" run "$root/resources/examples/notebook-question.json" \
        --png "$shots/notebook" --quiet
    cp "$shots/notebook/fresh_target__lock.png" "$root/resources/readme/fresh-target-lock.png"
    cp "$shots/notebook/forked__no_lock.png" "$root/resources/readme/forked-no-lock.png"
    echo "resources/readme/fresh-target-lock.png, forked-no-lock.png: the notebook question's profiles"
fi
