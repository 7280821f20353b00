#!/usr/bin/env python3
"""Checks every `#include "<layer>/..."` in src/ against the layer dependencies declared in cmake/layers.cmake.

A file in src/<layer>/ may include headers of its own layer and of the layers it declares directly
(`caploop_layer(<layer> caploop_a caploop_b ...)`): a layer that uses another says so, even when a declared layer
already links it. src/cli may include every layer. Declared dependencies that no file of the layer includes are
listed as notes (and make the check fail with --strict).

Usage: check_layers.py [--root DIR] [--strict]   (DIR holds cmake/layers.cmake and src/). Exit 0 clean, 1 violations.
"""
import argparse
import os
import re
import sys


def read_layers(path):
    deps = {}
    for line in open(path, encoding="utf-8"):
        line = line.split("#", 1)[0]
        m = re.match(r"\s*caploop_layer\((\w+)\s*(.*)\)", line)
        if m:
            deps[m.group(1)] = [d[len("caploop_"):] for d in m.group(2).split() if d.startswith("caploop_")]
    return deps


def closure(deps, layer, seen=None):
    seen = set() if seen is None else seen
    for d in deps.get(layer, []):
        if d not in seen:
            seen.add(d)
            closure(deps, d, seen)
    return seen


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--root", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
    ap.add_argument("--strict", action="store_true", help="unused declared dependencies fail too")
    args = ap.parse_args()
    deps = read_layers(os.path.join(args.root, "cmake", "layers.cmake"))
    src = os.path.join(args.root, "src")
    include = re.compile(r'^\s*#\s*include\s+"([a-z_]+)/[^"]+"')
    violations = []
    used = {layer: set() for layer in deps}
    for layer in sorted(os.listdir(src)):
        folder = os.path.join(src, layer)
        if not os.path.isdir(folder):
            continue
        if layer != "cli" and layer not in deps:
            violations.append(f"src/{layer}/ is not declared in cmake/layers.cmake")
            continue
        allowed = set(deps) | {"cli"} if layer == "cli" else set(deps[layer]) | {layer}
        for name in sorted(os.listdir(folder)):
            if not name.endswith((".h", ".cc")):
                continue
            for lineno, text in enumerate(open(os.path.join(folder, name), encoding="utf-8"), 1):
                m = include.match(text)
                if not m or not os.path.isdir(os.path.join(src, m.group(1))):
                    continue
                target = m.group(1)
                if layer in used:
                    used[layer].add(target)
                if target not in allowed:
                    violations.append(f"src/{layer}/{name}:{lineno}: includes {target}/ but layer '{layer}' "
                                      f"does not depend on '{target}' (cmake/layers.cmake)")
    for v in violations:
        print(v)
    unused = [(layer, d) for layer, ds in sorted(deps.items()) for d in ds if d not in used[layer]]
    for layer, d in unused:
        print(f"note: layer '{layer}' declares '{d}' but no file of it includes it")
    if args.strict:
        violations += unused
    print(f"{len(violations)} layer violation(s)")
    return 1 if violations else 0


if __name__ == "__main__":
    sys.exit(main())
