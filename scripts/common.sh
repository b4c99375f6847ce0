# SPDX-License-Identifier: MIT
# Shared by scripts/run and scripts/test: install what is missing, configure once, build.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD="${INTERLEAVE_BUILD_DIR:-$ROOT/build}" # another folder for a second checkout's builds

# Debian 12 packages the build, the tests and the window need (librsvg2-bin draws the PNG icons,
# dpkg-dev's dpkg-shlibdeps finds the package's dependencies, appstream ... shared-mime-info validate
# the installed files in the install tests; hiredis and redis-server are the distributed lesson's
# broker, python3-cbor2 its Python example worker).
PACKAGES=(
    cmake ninja-build g++ pkg-config
    qt6-base-dev qt6-base-dev-tools qt6-tools-dev qt6-tools-dev-tools qt6-l10n-tools qt6-svg-dev
    qt6-translations-l10n qt6-qpa-plugins libgl-dev libqcustomplot-dev
    libgtest-dev libgmock-dev libbenchmark-dev rapidjson-dev zlib1g-dev libzstd-dev libdw-dev libelf-dev python3
    libgif-dev libavcodec-dev libavformat-dev libavutil-dev libswscale-dev ffmpeg
    libasan8 libubsan1 liblsan0 libtsan2
    fonts-noto-cjk fonts-dejavu-core
    xvfb xauth
    clang-format-14 python3-clang-14 libclang1-14
    librsvg2-bin dpkg-dev
    appstream desktop-file-utils libxml2-utils shared-mime-info
    libhiredis-dev redis-server python3-cbor2
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

# new_lines BEFORE AFTER: the lines of AFTER that BEFORE does not have. (Not comm with process
# substitutions: inside a command substitution, those children outlive their parent and become
# zombies of init, which looks like a leftover of the tests.)
new_lines() {
    awk -v before="$1" 'BEGIN { n = split(before, b, "\n"); for (i = 1; i <= n; i++) old[b[i]] = 1 }
                        $0 != "" && !($0 in old)' <<<"$2"
}

# run_tests DIR CTEST-ARGS...: runs ctest in DIR (UI tests offscreen), then checks that the tests
# left nothing behind, as the reliability rules ask of every run: no process (each test process
# carries a marker in its environment, and so does everything it starts), no new entry in
# /dev/shm, nothing in the tests' own temporary folder (TMPDIR, and XDG_RUNTIME_DIR as a desktop
# session has one; without it Qt would make one in TMPDIR), no settings written where the user's
# would be (XDG_CONFIG_HOME points into that folder too; a test keeps settings in its own folder).
# Non-zero if a test failed or something was left. Whatever was left is then cleared away -
# processes killed, the folder removed - so a test that crashed before its own clean-up (a
# sanitizer abort, a timeout) leaves nothing either. The /dev/shm entries are reported and kept:
# other programs on the machine make them too.
run_tests() {
    local dir=$1
    shift
    local scratch
    scratch=$(mktemp -d "${TMPDIR:-/tmp}/interleave-tests-XXXXXX")
    mkdir "$scratch/tmp"
    mkdir -m 700 "$scratch/runtime"
    mkdir "$scratch/config"
    local marker="INTERLEAVE_TESTS_MARK=$$-$RANDOM"
    local shm_before
    shm_before=$(ls -A /dev/shm)
    local status=0
    (cd "$dir" && env "$marker" TMPDIR="$scratch/tmp" XDG_RUNTIME_DIR="$scratch/runtime" \
        XDG_CONFIG_HOME="$scratch/config" QT_QPA_PLATFORM=offscreen ctest "$@") || status=1

    local left=() pids
    # A process of the last test may be on its way out; what is still there after 2 s was left.
    for _ in $(seq 20); do
        pids=$(grep -lzx -- "$marker" /proc/[0-9]*/environ 2>/dev/null | cut -d/ -f3 | sort -n || true)
        [ -n "$pids" ] || break
        sleep 0.1
    done
    if [ -n "$pids" ]; then
        left+=("processes: $(ps -o pid=,stat=,args= -p "$(echo $pids | tr ' ' ,)" | tr -s ' \n' ' ;' || true)")
        kill -KILL $pids 2>/dev/null || true
    fi
    local new_shm
    new_shm=$(new_lines "$shm_before" "$(ls -A /dev/shm)" | tr '\n' ' ')
    [ -z "$new_shm" ] || left+=("in /dev/shm: $new_shm")
    local files
    files=$(cd "$scratch" && find tmp runtime config -mindepth 1 -maxdepth 2 | head -n 20 | tr '\n' ' ' || true)
    [ -z "$files" ] || left+=("temporary files: $files")
    rm -rf "$scratch"
    if [ ${#left[@]} -gt 0 ]; then
        log "the tests in $dir left something behind (now cleared away):"
        printf '  %s\n' "${left[@]}" >&2
        status=1
    fi
    return $status
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
        export ASAN_OPTIONS="halt_on_error=1:detect_leaks=1:detect_stack_use_after_return=1:check_initialization_order=1:strict_init_order=1:log_path=$reports/asan"
        export LSAN_OPTIONS="suppressions=$supp/lsan.supp:print_suppressions=0"
        export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1:log_path=$reports/ubsan"
        # die_after_fork=0: the engine forks from processes that run threads, by design (as Python's
        # multiprocessing does on Linux: a Pool forks its workers while its handler threads run),
        # and the children start threads of their own. ThreadSanitizer stops checking such a child
        # (it cannot trust locks another thread held at the fork) and, with this, lets it go on.
        export TSAN_OPTIONS="halt_on_error=1:exitcode=66:second_deadlock_stack=1:die_after_fork=0:suppressions=$supp/tsan.supp:log_path=$reports/tsan"
        run_tests "$dir" --output-on-failure --timeout 900 "$@"
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
