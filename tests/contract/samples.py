#!/usr/bin/env python3
"""The request a client generator or Swagger UI would send, checked against the contract.

For every operation with a JSON request body, builds the sample body the way Swagger UI
does from the schema alone (an example where the schema gives one, else the first enum
value, else a placeholder by type and format) and validates it against the same schema
(JSON Schema 2020-12, as OpenAPI 3.1 says). A sample that fails means a user who presses
"Try it out" gets a 422 for the contract's own example: give the field an example.
Usage: samples.py openapi/openapi.json
"""
import json
import sys

import jsonschema
from referencing import Registry
from referencing.jsonschema import DRAFT202012

FORMAT_SAMPLES = {
    "date": "2026-01-15",
    "date-time": "2026-01-15T09:30:00Z",
    "uuid": "3fa85f64-5717-4562-b3fc-2c963f66afa6",
    "email": "user@example.com",
    "uri": "https://example.com/",
}


def resolve(doc, schema):
    while isinstance(schema, dict) and "$ref" in schema:
        path = schema["$ref"].lstrip("#/").split("/")
        node = doc
        for part in path:
            node = node[part]
        schema = node
    return schema


def sample(doc, schema, depth=0):
    schema = resolve(doc, schema)
    if not isinstance(schema, dict) or depth > 12:
        return None
    if "example" in schema:
        return schema["example"]
    if schema.get("examples"):
        return schema["examples"][0]
    if "default" in schema:
        return schema["default"]
    if "const" in schema:
        return schema["const"]
    if schema.get("enum"):
        return next((v for v in schema["enum"] if v is not None), None)
    for key in ("oneOf", "anyOf"):
        if key in schema:
            options = [o for o in schema[key] if resolve(doc, o).get("type") != "null"]
            return sample(doc, options[0] if options else schema[key][0], depth + 1)
    if "allOf" in schema:
        out = {}
        for part in schema["allOf"]:
            value = sample(doc, part, depth + 1)
            if isinstance(value, dict):
                out.update(value)
        return out
    kind = schema.get("type")
    if isinstance(kind, list):
        kind = next((k for k in kind if k != "null"), None)
    if kind == "object" or "properties" in schema:
        return {name: sample(doc, prop, depth + 1) for name, prop in schema.get("properties", {}).items()}
    if kind == "array":
        return [sample(doc, schema.get("items", {}), depth + 1)]
    if kind == "string":
        return FORMAT_SAMPLES.get(schema.get("format"), "string")
    if kind == "integer":
        return schema.get("minimum", 0)
    if kind == "number":
        return schema.get("minimum", 0)
    if kind == "boolean":
        return True
    return None


def main():
    doc = json.load(open(sys.argv[1], encoding="utf-8"))
    # The document as one schema resource, its `#/...` references made absolute.
    linked = json.loads(json.dumps(doc).replace('"$ref": "#/', '"$ref": "urn:contract#/'))
    registry = Registry().with_resource("urn:contract", DRAFT202012.create_resource(linked))
    failures = []
    checked = 0
    for path, item in sorted(doc["paths"].items()):
        for method, op in item.items():
            body = op.get("requestBody", {}) if isinstance(op, dict) else {}
            media = body.get("content", {}).get("application/json")
            if not media or "schema" not in media:
                continue
            checked += 1
            value = sample(doc, media["schema"])
            pointer = "/".join(p.replace("~", "~0").replace("/", "~1") for p in ["paths", path, method, "requestBody", "content", "application/json", "schema"])
            validator = jsonschema.Draft202012Validator(
                {"$ref": f"urn:contract#/{pointer}"}, registry=registry
            )
            errors = sorted(validator.iter_errors(value), key=lambda e: list(e.absolute_path))
            if errors:
                e = errors[0]
                where = "/".join(str(p) for p in e.absolute_path) or "(body)"
                failures.append(f"{method.upper()} {path}: {where}: {e.message[:140]}")
    for f in failures:
        print("sample refused:", f)
    print(f"{checked} request bodies, {len(failures)} whose generated sample the contract refuses")
    sys.exit(1 if failures else 0)


main()
