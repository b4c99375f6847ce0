# SPDX-License-Identifier: MIT
# Shared by scripts/run and scripts/test: install what is missing, configure once, build.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD="${INTERLEAVE_BUILD_DIR:-$ROOT/build}" # another folder for a second checkout's builds

# Debian 12 packages the build, the tests and the window need.
PACKAGES=(
    cmake ninja-build g++ pkg-config
    qt6-base-dev qt6-base-dev-tools qt6-tools-dev qt6-tools-dev-tools qt6-l10n-tools qt6-svg-dev
    qt6-translations-l10n qt6-qpa-plugins libgl-dev libqcustomplot-dev
    libgtest-dev libgmock-dev libbenchmark-dev
    libasan8 libubsan1 liblsan0 libtsan2
    fonts-noto-cjk fonts-dejavu-core
    xvfb xauth
)

log() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

ensure_packages() {
    local missing=()
    for p in "${PACKAGES[@]}" "$@"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    local sudo=()
    [ "$(id -u)" -eq 0 ] || sudo=(sudo)
    log "installing ${missing[*]}"
    "${sudo[@]}" apt-get update -qq
    DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# configure_and_build DIR PRESET-ARGS...: configures DIR once, then builds what changed.
configure_and_build() {
    local dir=$1
    shift
    if [ ! -f "$dir/build.ninja" ]; then
        log "configuring $dir"
        cmake -S "$ROOT" -B "$dir" -G Ninja "$@" >/dev/null
    fi
    log "building $dir"
    cmake --build "$dir" -j"$(nproc)"
}

build_release() {
    configure_and_build "$BUILD" -DCMAKE_BUILD_TYPE=Release "$@"
}

# build_preset PRESET DIR [TARGET...]: configures DIR from a CMakePresets.json preset (again each
# time: cheap, and a changed preset takes effect), then builds TARGETs (default: everything).
build_preset() {
    local preset=$1 dir=$2
    shift 2
    log "configuring $dir (preset $preset)"
    (cd "$ROOT" && cmake --preset "$preset" -B "$dir" >/dev/null)
    log "building $dir"
    local targets=()
    [ $# -eq 0 ] || targets=(--target "$@")
    cmake --build "$dir" -j"$(nproc)" "${targets[@]}"
}

# run_sanitized DIR CTEST-ARGS...: runs ctest in the sanitizer build DIR. Every process writes
# its sanitizer report to DIR/sanitizer-reports/<tool>.<pid> - the runner a test starts and the
# scenario's own forked processes too, whose exit status no test may look at - so the run fails
# on a failed test or on any report at all, and prints the reports.
run_sanitized() {
    local dir=$1
    shift
    local reports="$dir/sanitizer-reports"
    local supp="$ROOT/scripts/sanitizers"
    rm -rf "$reports"
    mkdir -p "$reports"
    local status=0
    (
        cd "$dir"
        export ASAN_OPTIONS="halt_on_error=1:detect_leaks=1:detect_stack_use_after_return=1:check_initialization_order=1:strict_init_order=1:log_path=$reports/asan"
        export LSAN_OPTIONS="suppressions=$supp/lsan.supp:print_suppressions=0"
        export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1:log_path=$reports/ubsan"
        # die_after_fork=0: the engine forks from processes that run threads, by design (as Python's
        # multiprocessing does on Linux: a Pool forks its workers while its handler threads run),
        # and the children start threads of their own. ThreadSanitizer stops checking such a child
        # (it cannot trust locks another thread held at the fork) and, with this, lets it go on.
        export TSAN_OPTIONS="halt_on_error=1:exitcode=66:second_deadlock_stack=1:die_after_fork=0:suppressions=$supp/tsan.supp:log_path=$reports/tsan"
        QT_QPA_PLATFORM=offscreen ctest --output-on-failure --timeout 900 "$@"
    ) || status=1
    local found=("$reports"/*)
    if [ -e "${found[0]}" ]; then
        log "${#found[@]} sanitizer report(s) in $reports:"
        for f in "${found[@]}"; do
            printf '\n--- %s\n' "$f"
            head -n 80 "$f"
        done
        status=1
    fi
    return $status
}
