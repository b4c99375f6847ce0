#!/usr/bin/python3
# SPDX-License-Identifier: MIT
# functionlength.py COMPILE_COMMANDS: lists the function definitions of the product sources (core/,
# ui/, app/) longer than LIMIT lines (default 80), read with libclang so that every kind of
# definition (free, member, constructor, template) counts; exit 1 if there is any.
import json, os, shlex, sys
from concurrent.futures import ProcessPoolExecutor
import clang.cindex as ci

LIMIT = int(os.environ.get('LIMIT', '80'))
KINDS = {ci.CursorKind.FUNCTION_DECL, ci.CursorKind.CXX_METHOD, ci.CursorKind.CONSTRUCTOR,
         ci.CursorKind.DESTRUCTOR, ci.CursorKind.FUNCTION_TEMPLATE, ci.CursorKind.CONVERSION_FUNCTION}

# libclang 14 has no __builtin_source_location, so libstdc++'s <source_location> declares nothing
# and every declaration that names std::source_location fails to parse (and its functions would go
# uncounted). This stand-in, included first, is what such a declaration needs to parse.
SHIM_PATH = '/interleave-functionlength/source_location_shim.h'
SHIM = """#pragma once
#if !__has_builtin(__builtin_source_location)
namespace std {
struct source_location {
    static constexpr source_location current() noexcept { return {}; }
    constexpr unsigned line() const noexcept { return 0; }
    constexpr unsigned column() const noexcept { return 0; }
    constexpr const char *file_name() const noexcept { return ""; }
    constexpr const char *function_name() const noexcept { return ""; }
};
}
#endif
"""

def check(entry):
    path, args = entry
    idx = ci.Index.create()
    tu = idx.parse(path, args=['-include', SHIM_PATH] + args, unsaved_files=[(SHIM_PATH, SHIM)])
    errors = [d for d in tu.diagnostics if d.severity >= ci.Diagnostic.Error]
    if errors:
        # A file that does not parse would hide its functions: say so rather than pass.
        return [(0, f'{os.path.relpath(path)}: cannot parse: {errors[0].spelling}', '')]
    out = []
    def walk(c):
        for ch in c.get_children():
            if ch.location.file is None or ch.location.file.name != path:
                continue
            if ch.kind in KINDS and ch.is_definition():
                n = ch.extent.end.line - ch.extent.start.line + 1
                if n > LIMIT:
                    out.append((n, f'{os.path.relpath(path)}:{ch.extent.start.line}', ch.spelling))
                continue
            walk(ch)
    walk(tu.cursor)
    return out

def main():
    db = json.load(open(sys.argv[1]))
    root = os.getcwd()
    entries = []
    for e in db:
        f = os.path.realpath(os.path.join(e['directory'], e['file']))
        rel = os.path.relpath(f, root)
        if not rel.split('/')[0] in ('core', 'ui', 'app', 'preload') or not f.endswith('.cpp'):
            continue
        args = (e.get("arguments") or shlex.split(e["command"]))[1:]
        # keep include paths, defines and the standard; drop the output and the source itself
        keep, skip = [], False
        for a in args:
            if skip:
                skip = False
                continue
            if a in ('-o', '-c', '-MF', '-MT', '-MQ'):
                skip = a != '-c'
                continue
            if a.endswith('.cpp') or a.startswith('-W') or 'prefix-map' in a:
                continue
            keep.append(a)
        entries.append((f, keep))
    entries = sorted(set((f, tuple(a)) for f, a in entries))
    with ProcessPoolExecutor(os.cpu_count()) as ex:
        found = [r for rs in ex.map(check, [(f, list(a)) for f, a in entries]) for r in rs]
    found = sorted(set(found), reverse=True) # a source compiled into two targets counts once
    for n, where, name in found:
        print(f'{n:5d} {where} {name}')
    print(f'{len(found)} functions over {LIMIT} lines in {len(entries)} files', file=sys.stderr)
    return 1 if found else 0

sys.exit(main())
