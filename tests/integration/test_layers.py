#!/usr/bin/python3
"""The layers of lib/ (cmake/ErgLayers.cmake): a folder includes headers only of itself and
of the layers it declares in its CMakeLists.txt, so that the build shows DESIGN.md's flow and
no layer reaches up. The link checks (erg_link_check_<layer>) catch the same at link time."""
import os
import pathlib
import re
import sys

source = pathlib.Path(os.environ["ERG_SOURCE_DIR"])
build = pathlib.Path(os.environ["ERG_BUILD_DIR"])
include = re.compile(r'^\s*#\s*include\s+"([a-z_]+)/', re.M)

declared = {}
for line in (build / "layers.txt").read_text().splitlines():
    name, _, lower = line.partition(":")
    declared[name.strip()] = set(lower.split())

failures = []
layers = set(declared)
for name, lower in declared.items():
    allowed = {name} | lower
    for path in sorted((source / "lib" / name).rglob("*.[ch]pp")):
        for used in include.findall(path.read_text()):
            if used in layers and used not in allowed:
                failures.append(f"{path.relative_to(source)} includes {used}/, a layer that lib/{name} does not declare")

# The order of the flow: no layer declares one that declares it (directly or further down).
def below(name, seen=()):
    for lower in declared.get(name, ()):
        if lower in seen:
            continue
        yield lower
        yield from below(lower, seen + (lower,))

for name in declared:
    if name in set(below(name)):
        failures.append(f"lib/{name} depends on itself through its lower layers (a cycle)")

print("\n".join(failures) if failures else f"{len(declared)} layers, every include declared")
print(f"{0 if failures else 1} passed, {len(failures) and 1} failed")
sys.exit(1 if failures else 0)
