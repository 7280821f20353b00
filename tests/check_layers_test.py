#!/usr/bin/env python3
"""Test of the layering check (scripts/check_layers.py): it passes a tree whose includes follow the declared
layers and fails, naming file, line and layers, a tree where a lower layer includes a higher one."""
import os
import subprocess
import sys

root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
check = os.path.join(root, "scripts", "check_layers.py")
fixtures = os.path.join(root, "tests", "fixtures", "layers")


def run(tree):
    return subprocess.run([sys.executable, check, "--root", tree], capture_output=True, text=True)


clean = run(os.path.join(fixtures, "clean"))
assert clean.returncode == 0, clean.stdout + clean.stderr
bad = run(os.path.join(fixtures, "violation"))
assert bad.returncode == 1, bad.stdout + bad.stderr
assert "src/low/a.h:3: includes high/ but layer 'low' does not depend on 'high'" in bad.stdout, bad.stdout
print("1 passed, 0 failed")
