#!/usr/bin/env python3
"""Fails when two wire types share a name in the contract, or a variant has none.

utoipa names a schema after its Rust type. Two `ToSchema` types of the same name in different
modules (finance's and inventory's `OpeningBalancesRequest` once) become one schema in the
contract, and one of the two operations then documents the other's body. Every `ToSchema`
struct or enum under erp-*/src must have a name of its own, or say `#[schema(as = ...)]`.

It also fails when a `oneOf`/`anyOf` of the committed contract has an inline object variant
without a `title`: generators then name it `<Schema>Type0`, `Type1`... (give the enum's
variant `#[schema(title = "...")]`).
Usage: schema-names.py (from the repository's root)
"""
import collections
import json
import glob
import re
import sys

DERIVED = re.compile(
    r"#\[derive\(([^)]*)\)\]((?:\s*(?:#\[[^\]]*\]|///[^\n]*))*)\s*"
    r"pub(?:\([^)]*\))?\s+(?:struct|enum)\s+(\w+)"
)

names = collections.defaultdict(list)
for path in sorted(glob.glob("erp-*/src/**/*.rs", recursive=True)):
    with open(path, encoding="utf-8") as f:
        source = f.read()
    for m in DERIVED.finditer(source):
        if "ToSchema" in m.group(1) and "as =" not in m.group(2):
            names[m.group(3)].append(path)
clashes = {n: paths for n, paths in names.items() if len(paths) > 1}
for name, paths in sorted(clashes.items()):
    print(f"schema name {name} is taken by {len(paths)} types: {', '.join(paths)}")
print(f"{len(names)} wire types, {len(clashes)} names taken twice")

with open("openapi/openapi.json", encoding="utf-8") as f:
    schemas = json.load(f)["components"]["schemas"]
untitled = [
    f"{name}.{key}[{i}]"
    for name, schema in sorted(schemas.items())
    for key in ("oneOf", "anyOf")
    for i, variant in enumerate(schema.get(key, []))
    if variant.get("type") == "object" and "title" not in variant
]
for where in untitled:
    print(f"untitled variant {where}: generators will number it")
print(f"{len(untitled)} untitled object variants")
sys.exit(1 if clashes or untitled else 0)
