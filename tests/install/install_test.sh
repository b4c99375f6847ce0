#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# install_test.sh files|completion BUILD SOURCE: installs BUILD (cmake --install) into a temporary prefix
# and checks what a user gets from it.
#   files       every installed file is there and right: the binary finds its recorder there
#               (`interleave trace -- /bin/true`), the desktop entry, icons, MIME type (its magic
#               is a saved trace's header), AppStream metadata (its release is the binary's
#               version) and a man page naming every command and option the help prints; the
#               validators (desktop-file-validate, appstreamcli, xmllint, update-mime-database)
#               where they are installed
#   completion  the bash completion, sourced and asked as bash asks it: commands, options of each
#               command (those its help prints), scenario ids and their --set parameters (those
#               `interleave list --json` gives), values and file names
# Exit 1 with a line per failed check; the prefix is removed either way.
set -euo pipefail

what=${1:?files or completion}
build=${2:?the build folder}
source_dir=${3:?the source folder}
export LC_ALL=C # sorted as bytes
scratch=$(mktemp -d "${TMPDIR:-/tmp}/interleave-install-XXXXXX")
trap 'rm -rf "$scratch"' EXIT
prefix=$scratch/prefix
failures=0

fail() {
    echo "FAIL: $*" >&2
    failures=$((failures + 1))
}
pass() { echo "ok: $*"; }
# expect NAME ACTUAL EXPECTED
expect() {
    if [ "$2" = "$3" ]; then pass "$1"; else fail "$1: got '$2', expected '$3'"; fi
}

"${CMAKE:-cmake}" --install "$build" --prefix "$prefix" >"$scratch/install.log"
bin=$prefix/bin/interleave
[ -x "$bin" ] || {
    fail "no executable $bin"
    exit 1
}
# The installed program, in English, whatever the machine's language.
il() { "$bin" --lang en "$@"; }

# The commands `interleave --help` names ("interleave list ...", "interleave run ...").
help_commands() { il --help | grep -oE '^  interleave [a-z]+' | awk '{ print $2 }' | sort -u; }
# Every --option a help text names.
help_options() { grep -oE -- '--[a-z][a-z-]*[a-z]' | sort -u; }

check_files() {
    local f
    for f in bin/interleave lib/interleave/libinterleave-preload.so share/interleave/python/sitecustomize.py \
        share/applications/interleave.desktop share/icons/hicolor/scalable/apps/interleave.svg \
        share/mime/packages/interleave.xml share/man/man1/interleave.1.gz \
        share/bash-completion/completions/interleave; do
        if [ -s "$prefix/$f" ]; then pass "installed $f"; else fail "missing or empty: $f"; fi
    done
    # Nothing of the tests or the build is installed.
    local extra
    extra=$(cd "$prefix" && find . -type f | grep -vE '^\./(bin/interleave|lib/interleave/|share/)' || true)
    expect "nothing else installed" "$extra" ""
}

check_trace() {
    # Beside the installed binary there is no recorder: it must take the one in ../lib/interleave.
    local out status=0
    out=$(cd "$scratch" && il trace --json -- /bin/true 2>"$scratch/trace.err") || status=$?
    expect "interleave trace -- /bin/true exits 0" "$status" 0
    expect "the traced /bin/true ran to its end" \
        "$(python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["status"], d["exit_code"], *[p["name"] for p in d["processes"]])' \
            <<<"$out" 2>&1)" "finished 0 true"
    mv "$prefix/lib/interleave" "$prefix/lib/moved"
    status=0
    (cd "$scratch" && il trace -- /bin/true >/dev/null 2>"$scratch/trace.err") || status=$?
    mv "$prefix/lib/moved" "$prefix/lib/interleave"
    if [ $status -ne 0 ] && grep -q 'libinterleave-preload.so is missing' "$scratch/trace.err"; then
        pass "without lib/interleave the trace says the recorder is missing"
    else
        fail "with lib/interleave moved away: exit $status, stderr: $(cat "$scratch/trace.err")"
    fi
}

check_desktop() {
    local desktop=$prefix/share/applications/interleave.desktop
    expect "desktop Exec" "$(grep '^Exec=' "$desktop")" "Exec=interleave %f"
    expect "desktop MimeType" "$(grep '^MimeType=' "$desktop")" "MimeType=application/x-interleave-trace;"
    expect "desktop Icon" "$(grep '^Icon=' "$desktop")" "Icon=interleave"
    if command -v desktop-file-validate >/dev/null; then
        if desktop-file-validate "$desktop" >"$scratch/validate.log" 2>&1; then
            pass "desktop-file-validate"
        else
            fail "desktop-file-validate: $(cat "$scratch/validate.log")"
        fi
    else
        echo "skipped: desktop-file-validate is not installed (desktop-file-utils)"
    fi
}

check_icons() {
    local size png
    for size in 16 32 48 64 128 256 512; do
        png=$prefix/share/icons/hicolor/${size}x${size}/apps/interleave.png
        # The PNG signature, then IHDR's width and height (big-endian, bytes 16-23).
        expect "icon ${size}x${size}" "$(python3 -c 'import struct,sys; d=open(sys.argv[1],"rb").read(24)
print(d[:8] == b"\x89PNG\r\n\x1a\n", *struct.unpack(">II", d[16:24]))' "$png" 2>&1)" "True $size $size"
    done
}

check_mime() {
    local xml=$prefix/share/mime/packages/interleave.xml
    # The magic the type declares is what a saved trace starts with.
    il run fork --save "$scratch/fork.iltrace" >/dev/null
    expect "the MIME magic is a saved trace's header" "$(python3 - "$xml" "$scratch/fork.iltrace" <<'EOF'
import sys, xml.etree.ElementTree as ET
ns = {"m": "http://www.freedesktop.org/standards/shared-mime-info"}
t = ET.parse(sys.argv[1]).find("m:mime-type", ns)
match = t.find("m:magic/m:match", ns)
magic = match.get("value").encode().decode("unicode_escape").encode("latin-1")
head = open(sys.argv[2], "rb").read(len(magic))
print(t.get("type"), t.find("m:glob", ns).get("pattern"), match.get("offset"), head == magic and len(magic) >= 7)
EOF
)" "application/x-interleave-trace *.iltrace 0 True"
    if command -v update-mime-database >/dev/null; then
        cp -r "$prefix/share/mime" "$scratch/mime"
        if update-mime-database "$scratch/mime" 2>"$scratch/mime.log" &&
            grep -q 'application/x-interleave-trace:\*\.iltrace' "$scratch/mime/globs2" &&
            [ -f "$scratch/mime/application/x-interleave-trace.xml" ]; then
            pass "update-mime-database takes the type"
        else
            fail "update-mime-database: $(cat "$scratch/mime.log")"
        fi
    fi
}

check_metainfo() {
    local files=("$prefix"/share/metainfo/*.metainfo.xml)
    expect "one metainfo file" "${#files[@]}" 1
    local meta=${files[0]} version
    version=$(il --version | grep -oE '[0-9]+\.[0-9]+\.[0-9]+' | head -n 1)
    expect "metainfo: id, launchable, newest release, provides" "$(python3 - "$meta" <<'EOF'
import os, sys, xml.etree.ElementTree as ET
c = ET.parse(sys.argv[1]).getroot()
name = os.path.basename(sys.argv[1])[: -len(".metainfo.xml")]
shots = [i.text for i in c.iter("image")]
print(c.find("id").text == name, c.find("launchable").text, c.find("releases/release").get("version"),
      c.find("provides/binary").text, c.find("provides/mediatype").text, c.find("content_rating") is not None,
      len(shots) > 0 and all(s.startswith("https://") and "/docs/images/" in s for s in shots))
EOF
)" "True interleave.desktop $version interleave application/x-interleave-trace True True"
    # The screenshots are pictures of this repository.
    local image
    for image in $(grep -oE '/docs/images/[^<]+' "$meta"); do
        [ -f "$source_dir/${image#/}" ] || fail "metainfo screenshot ${image#/} is not in the repository"
    done
    if command -v appstreamcli >/dev/null; then
        if appstreamcli validate --no-net "$meta" >"$scratch/appstream.log" 2>&1; then
            pass "appstreamcli validate --no-net"
        else
            fail "appstreamcli validate: $(cat "$scratch/appstream.log")"
        fi
    else
        echo "skipped: appstreamcli is not installed (appstream)"
    fi
    if command -v xmllint >/dev/null; then
        if xmllint --noout "$meta" "$prefix/share/mime/packages/interleave.xml" 2>"$scratch/xmllint.log"; then
            pass "xmllint"
        else
            fail "xmllint: $(cat "$scratch/xmllint.log")"
        fi
    else
        echo "skipped: xmllint is not installed (libxml2-utils)"
    fi
}

check_man() {
    local page=$prefix/share/man/man1/interleave.1.gz text
    gzip -t "$page" || fail "man page is not gzip"
    # The page's text with roff's "\-" as "-".
    text=$(gzip -dc "$page" | sed 's/\\-/-/g')
    local section
    for section in NAME SYNOPSIS DESCRIPTION COMMANDS OPTIONS "EXIT STATUS" ENVIRONMENT FILES EXAMPLES; do
        grep -qx "\.SH \"\?$section\"\?" <<<"$text" || fail "man page has no $section section"
    done
    local command missing=()
    for command in $(help_commands); do
        grep -qE "^\.B[IR]? $command( |$)" <<<"$text" || missing+=("$command")
    done
    expect "man page: every command of --help" "${missing[*]}" ""
    local option
    missing=()
    for option in $( (
        il --help
        for command in $(help_commands); do [ "$command" = help ] || il help "$command"; done
    ) | help_options); do
        grep -qE -- "(^|[^a-z-])$option([^a-z-]|$)" <<<"$text" || missing+=("$option")
    done
    expect "man page: every option of the help texts" "${missing[*]}" ""
    grep -q 'INTERLEAVE_AUTHKEY' <<<"$text" || fail "man page does not name INTERLEAVE_AUTHKEY"
    local version
    version=$(il --version | grep -oE '[0-9]+\.[0-9]+\.[0-9]+' | head -n 1)
    grep -q "^\.TH INTERLEAVE 1 .*\"Interleave $version\"" <<<"$text" || fail "man page is not of version $version"
}

# complete WORD... : what the installed completion offers for the last WORD, sorted, one line.
complete_words() {
    PATH="$prefix/bin:$PATH" bash -c 'source "$1"; shift
        COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); COMP_LINE="$*"; COMP_POINT=${#COMP_LINE}
        _interleave interleave "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"
        printf "%s\n" "${COMPREPLY[@]}" | sort | paste -sd " "' \
        _ "$prefix/share/bash-completion/completions/interleave" "$@"
}

check_completion() {
    expect "interleave r" "$(complete_words interleave r)" "run"
    expect "interleave " "$(complete_words interleave "")" "help list master open run trace worker"
    expect "interleave run ra" "$(complete_words interleave run ra)" "race"
    expect "interleave --lang zh_CN run ra" "$(complete_words interleave --lang zh_CN run ra)" "race"
    expect "interleave --l" "$(complete_words interleave --l)" "--lang"
    expect "interleave --lang " "$(complete_words interleave --lang "")" "en zh_CN"
    expect "interleave help w" "$(complete_words interleave help w)" "worker"
    # Scenario ids and each scenario's parameters are those `interleave list --json` gives.
    il list --json >"$scratch/list.json"
    local ids
    ids=$(python3 -c 'import json,sys; print(" ".join(sorted(s["id"] for s in json.load(open(sys.argv[1])))))' \
        "$scratch/list.json")
    expect "interleave run <every scenario>" "$(complete_words interleave run "")" "$ids"
    local id
    for id in $ids; do
        expect "interleave run $id --set " "$(complete_words interleave run "$id" --seed 3 --set "")" \
            "$(python3 -c 'import json,sys
s = [s for s in json.load(open(sys.argv[1])) if s["id"] == sys.argv[2]][0]
print(" ".join(sorted(p["name"] + "=" for p in s["parameters"])))' "$scratch/list.json" "$id")"
    done
    # Every option a command's help names is offered after "--".
    local command offered option missing
    for command in $(help_commands); do
        offered=" $(complete_words interleave "$command" --) "
        missing=""
        for option in $([ "$command" = help ] || il help "$command" | help_options); do
            [[ $offered == *" $option "* ]] || missing+=" $option"
        done
        expect "interleave $command --: every option of its help" "$missing" ""
    done
    expect "interleave run race --view " "$(complete_words interleave run race --view "")" \
        "chart code console cores graph timeline"
    expect "interleave run race --theme " "$(complete_words interleave run race --theme "")" "dark light projector"
    # File names: open's file and the outputs.
    mkdir -p "$scratch/files/dir"
    touch "$scratch/files/a.iltrace" "$scratch/files/b.json"
    expect "interleave open <file>" "$(complete_words interleave open "$scratch/files/")" \
        "$scratch/files/a.iltrace $scratch/files/b.json $scratch/files/dir"
    expect "interleave run race --save <file>" "$(complete_words interleave run race --save "$scratch/files/a")" \
        "$scratch/files/a.iltrace"
    expect "interleave trace -- tru" "$(complete_words interleave trace --json -- tru | tr ' ' '\n' | grep -m1 -x true)" \
        "true"
}

case $what in
files)
    check_files
    check_trace
    check_desktop
    check_icons
    check_mime
    check_metainfo
    check_man
    ;;
completion) check_completion ;;
*)
    echo "install_test.sh: unknown check '$what' (files or completion)" >&2
    exit 2
    ;;
esac
[ $failures -eq 0 ] || {
    echo "$failures check(s) failed" >&2
    exit 1
}
