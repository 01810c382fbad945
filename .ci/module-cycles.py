#!/usr/bin/env python3
"""Import cycles between the top-level modules of each crate (issue 12).

A module is a folder or file under `<crate>/src`; it uses another when its source names
`crate::<other>` outside comment lines. Groups of modules that use each other in a ring are listed. Those in
.ci/module-cycles.allowed are known and being broken; anything else fails, and so does an
allowed group that no longer exists as written (the list only shrinks).
"""
import os
import re
import sys

CRATES = ["erp-core", "erp-finance", "erp-hr", "erp-inventory", "erp-crm", "erp-mrp", "erp-api"]


def graph(crate):
    src = f"{crate}/src"
    mods = {}
    for entry in os.listdir(src):
        path = f"{src}/{entry}"
        if os.path.isdir(path):
            mods[entry] = [f"{r}/{f}" for r, _, fs in os.walk(path) for f in fs if f.endswith(".rs")]
        elif entry.endswith(".rs") and entry not in ("lib.rs", "main.rs"):
            mods[entry[:-3]] = [path]
    g = {m: set() for m in mods}
    for m, files in mods.items():
        for f in files:
            # Code only: a name in a comment line (a doc link) is not a use.
            text = re.sub(r"(?m)^\s*//.*$", "", open(f, encoding="utf-8").read())
            used = set(re.findall(r"crate::([a-z_0-9]+)", text))
            for group in re.findall(r"crate::\{([^}]*)\}", text):
                used |= set(re.findall(r"\b([a-z_0-9]+)\b", group))
            g[m] |= {u for u in used if u in g and u != m}
    return g


def rings(g):
    """Strongly connected components of more than one module (Tarjan)."""
    index, low, stack, on, out, n = {}, {}, [], set(), [], [0]

    def visit(v):
        index[v] = low[v] = n[0]
        n[0] += 1
        stack.append(v)
        on.add(v)
        for w in sorted(g[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(" ".join(sorted(comp)))

    sys.setrecursionlimit(10000)
    for v in sorted(g):
        if v not in index:
            visit(v)
    return out


def main():
    os.chdir(os.path.join(os.path.dirname(__file__), ".."))
    allowed = set()
    for line in open(".ci/module-cycles.allowed", encoding="utf-8"):
        line = line.strip()
        if line and not line.startswith("#"):
            allowed.add(line)
    found = {f"{c}: {r}" for c in CRATES for r in rings(graph(c))}
    new, gone = sorted(found - allowed), sorted(allowed - found)
    for r in new:
        print(f"module cycle: {r} use each other (break it: move the shared part down, or emit through a lower module)")
    for r in gone:
        print(f"module cycle gone or changed, update .ci/module-cycles.allowed: {r}")
    if new or gone:
        sys.exit(1)
    print(f"ok: {len(found)} known module cycles left, none new")


main()
