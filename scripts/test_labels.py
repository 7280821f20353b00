#!/usr/bin/env python3
"""Prints the GoogleTest filter of one layer's tests that need neither ../shared/data nor a browser (`fast`).

Reads tests/<layer>/*.cc as text. A test needs the data or a browser when its body, its fixture, a helper defined
above the tests in its file, or a function declared in a helper header of tests/ that itself uses the data
mentions a marker (shared_data_dir, REQUIRE_SHARED_DATA, have_shared_data, shared/data, chromium). Helpers are
followed to a fixed point, so a test that calls a function that calls shared_data_dir() is not fast. When in
doubt a test is not fast: a fast test must run without ../shared and without chromium.

Usage: test_labels.py TESTS_DIR LAYER   -> one line: "Suite.Name:Suite2.Name2:..." (empty when none is fast)
"""
import os
import re
import sys

MARKER = re.compile(r"shared_data_dir|REQUIRE_SHARED_DATA|have_shared_data|shared/data|chromium", re.I)
TEST_START = re.compile(r"^(TEST|TEST_F|TEST_P)\(\s*(\w+)\s*,\s*(\w+)\s*\)", re.M)
TOP_NAME = re.compile(r"^(?:class|struct)\s+(\w+)|^[A-Za-z_][\w:<>,\s\*&]*?\b(\w+)\s*(?:\(|=|\{|\[)", re.M)


def strip_comments(text):
    text = re.sub(r"/\*.*?\*/", " ", text, flags=re.S)
    return re.sub(r"//[^\n]*", " ", text)


def top_level_entities(text):
    """(name, body) for each definition starting at column 0 (namespaces and keywords skipped); a body ends where
    the next definition or test starts."""
    starts = []
    cuts = [m.start() for m in TEST_START.finditer(text)]
    for m in TOP_NAME.finditer(text):
        line = text[m.start():text.find("\n", m.start())]
        if line.startswith(("namespace", "using", "#", "}", "TEST", "INSTANTIATE", "return", "static_assert")):
            continue
        name = m.group(1) or m.group(2)
        if name in ("if", "for", "while", "switch", "return", "sizeof", "operator"):
            continue
        starts.append((m.start(), name))
    out = []
    bounds = sorted([p for p, _ in starts] + cuts + [len(text)])
    for pos, name in starts:
        end = next(b for b in bounds if b > pos)
        out.append((name, text[pos:end]))
    return out


def names_used(body, names):
    return any(re.search(r"\b" + re.escape(n) + r"\b", body) for n in names)


def data_names_of_helpers(tests_dir):
    """Functions declared in helper headers of tests/ whose header or source mentions a marker."""
    names = set()
    for root, _, files in os.walk(tests_dir):
        for f in files:
            if not f.endswith(".h"):
                continue
            header = os.path.join(root, f)
            texts = [open(header, encoding="utf-8").read()]
            source = header[:-2] + ".cc"
            if os.path.exists(source):
                texts.append(open(source, encoding="utf-8").read())
            if f == "test_support.h" or not any(MARKER.search(strip_comments(t)) for t in texts):
                continue
            for name, _ in top_level_entities(strip_comments(texts[0])):
                names.add(name)
    return names


def fast_tests(tests_dir, layer):
    helper_names = data_names_of_helpers(tests_dir)
    folder = os.path.join(tests_dir, layer)
    fast = []
    for f in sorted(os.listdir(folder)):
        if not f.endswith(".cc"):
            continue
        text = strip_comments(open(os.path.join(folder, f), encoding="utf-8").read())
        tests = list(TEST_START.finditer(text))
        entities = top_level_entities(text)
        data = set(helper_names)
        changed = True
        while changed:  # helpers that use the data, or use helpers that do
            changed = False
            for name, body in entities:
                if name not in data and (MARKER.search(body) or names_used(body, data)):
                    data.add(name)
                    changed = True
        for i, m in enumerate(tests):
            end = tests[i + 1].start() if i + 1 < len(tests) else len(text)
            body = text[m.start():end]
            kind, suite, name = m.groups()
            if MARKER.search(body) or names_used(body, data) or suite in data:
                continue
            fast.append(f"*/{suite}.{name}/*" if kind == "TEST_P" else f"{suite}.{name}")
    return fast


if __name__ == "__main__":
    print(":".join(fast_tests(sys.argv[1], sys.argv[2])))
