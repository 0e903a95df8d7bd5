#!/bin/sh
# Regenerates the README's picture of the window from tst_windowlayout's screenshots: the test renders
# the main window at three sizes and several states, and this copies the one the README shows.
#   tests/gui/readme-pictures.sh [BUILD_DIR]     (default build/debug)
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-"$root/build/debug"}
shots=$(mktemp -d)
trap 'rm -rf "$shots"' EXIT
CHUNKSCOPE_SCREENSHOTS="$shots" QT_QPA_PLATFORM=offscreen "$build/tests/gui/tst_windowlayout" >/dev/null
cp "$shots/compare2-1600x1000.png" "$root/resources/readme/main-window.png"
echo "resources/readme/main-window.png: the comparison of two runs at 1600x1000"
echo "every screenshot: run with CHUNKSCOPE_SCREENSHOTS=DIR to keep them ($(ls "$shots" | wc -l) pictures)"
