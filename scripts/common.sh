# SPDX-License-Identifier: MIT
# Shared by scripts/run and scripts/test: install what is missing, configure once, build.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD="$ROOT/build"

# Debian 12 packages the build, the tests and the window need.
PACKAGES=(
    cmake ninja-build g++ pkg-config
    qt6-base-dev qt6-base-dev-tools qt6-tools-dev qt6-tools-dev-tools qt6-l10n-tools qt6-svg-dev
    qt6-translations-l10n qt6-qpa-plugins libgl-dev libqcustomplot-dev
    libgtest-dev libgmock-dev libbenchmark-dev
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
