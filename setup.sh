#!/usr/bin/env bash
# Chunkscope's one setup script. On Debian 12, as root, it installs whatever is missing, configures and
# builds, then does what it was asked:
#
#   ./setup.sh app [SCENARIO]     launch the desktop app (the built-in default scenario without SCENARIO)
#   ./setup.sh test               build and run the whole test suite (unit, store, interoperability, GUI)
#   ./setup.sh test-asan          the whole test suite under AddressSanitizer + UndefinedBehaviorSanitizer
#   ./setup.sh test-tsan          the engine and profiler tests under ThreadSanitizer
#   ./setup.sh fuzz [SECONDS]     build the libFuzzer targets (clang) and run each for SECONDS (600)
#   ./setup.sh bench [ARGS]       the copy benchmark: Chunkscope vs dask vs the machine's limits
#   ./setup.sh build              configure and build only (release)
set -euo pipefail
cd "$(dirname "$0")"

PACKAGES=(
    build-essential cmake ninja-build pkg-config clang
    qt6-base-dev libqt6opengl6-dev qt6-charts-dev qt6-svg-dev libgl-dev libvulkan-dev
    libblosc-dev libhdf5-dev liblzf-dev zlib1g-dev libzstd-dev libbz2-dev liblzma-dev liblz4-dev libcurl4-openssl-dev
    python3 python3-numpy python3-zarr python3-numcodecs python3-h5py python3-dask python3-psutil
    xvfb xauth imagemagick fonts-dejavu-core
    openmpi-bin libopenmpi-dev
)
# Node.js and npm run zarrita, the reference Zarr v3 implementation, in the interoperability tests. A machine
# that already has a Node.js of its own keeps it: its package provides npm and conflicts with Debian's.
command -v npm >/dev/null 2>&1 || PACKAGES+=(nodejs npm)

install_missing() {
    local missing=()
    for p in "${PACKAGES[@]}"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
    done
    if [ ${#missing[@]} -gt 0 ]; then
        echo "setup: installing ${missing[*]}" >&2
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -qq
        apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    fi
}

# zarrita and s3rver at the versions their package-lock.json files pin, for the interoperability tests.
install_node_modules() {
    local dir
    for dir in tests/interop/zarrita tests/interop/s3rver; do
        if [ -f "$dir/package-lock.json" ]; then
            (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
        fi
    done
}

build() {
    local preset=$1
    cmake --preset "$preset" >/dev/null
    cmake --build --preset "$preset" -j "$(nproc)"
}

command=${1:-app}
shift || true
case "$command" in
app)
    install_missing
    build release
    exec build/release/app/chunkscope "$@"
    ;;
test)
    install_missing
    install_node_modules
    build debug
    ctest --preset debug "$@"
    ;;
test-asan)
    install_missing
    install_node_modules
    build asan
    ctest --preset asan "$@"
    ;;
test-tsan)
    install_missing
    build tsan
    ctest --preset tsan "$@"
    ;;
fuzz)
    install_missing
    build fuzz
    exec tests/fuzz/run.sh build/fuzz "${1:-600}"
    ;;
bench)
    install_missing
    build release
    exec build/release/tests/benchmarks/bench_copy "$@"
    ;;
build)
    install_missing
    build release
    ;;
*)
    sed -n '2,13p' "$0" >&2
    exit 2
    ;;
esac
