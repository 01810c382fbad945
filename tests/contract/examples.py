#!/usr/bin/env python3
"""Each operation's example, taken from what the test suite really sent and received.

    examples.py update openapi/openapi.json openapi/examples.json recorded.jsonl...
    examples.py check  openapi/openapi.json openapi/examples.json

`update` reads exchanges recorded by the test harness (`ERP_RECORD_EXCHANGES`, see
tests/src/record.rs), matches each to its operation, and gives every operation that has no
example yet the richest successful exchange whose request and response the contract's own
schemas accept. Examples already in the file stay while the contract still accepts them, so
re-recording does not churn every id; examples of operations that are gone are dropped.

`check` fails when an operation with a body has no example, or when an example no longer
matches its schema. The server merges the file into the contract (erp-api/src/examples.rs).
"""
import json
import re
import sys

import jsonschema
from referencing import Registry
from referencing.jsonschema import DRAFT202012

METHODS = ("get", "post", "put", "patch", "delete")
# Arrays in an example keep this many entries: enough to show the shape.
KEEP_ITEMS = 2
# Longer text bodies (CSV, SVG) keep this many lines.
KEEP_LINES = 6
# An example larger than this (a test's big upload) is passed over for a smaller one.
MAX_SIZE = 8000


def load(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


class Contract:
    def __init__(self, doc):
        self.doc = doc
        linked = json.loads(json.dumps(doc).replace('"$ref": "#/', '"$ref": "urn:contract#/'))
        self.registry = Registry().with_resource(
            "urn:contract", DRAFT202012.create_resource(linked)
        )
        self.routes = []
        for path, item in doc["paths"].items():
            pattern = "^" + re.sub(r"\\\{[^/]+?\\\}", "[^/]+", re.escape(path)) + "$"
            self.routes.append((path.count("{"), re.compile(pattern), path))
        self.routes.sort(key=lambda r: r[0])

    def operations(self):
        for path, item in sorted(self.doc["paths"].items()):
            for method in METHODS:
                if method in item:
                    yield f"{method.upper()} {path}", path, method, item[method]

    def operation_of(self, method, url):
        path = url.split("?", 1)[0]
        for _, pattern, template in self.routes:
            if pattern.match(path):
                op = self.doc["paths"][template].get(method.lower())
                return (f"{method.upper()} {template}", template, op) if op else None
        return None

    def errors(self, pointer_parts, value):
        pointer = "/".join(str(p).replace("~", "~0").replace("/", "~1") for p in pointer_parts)
        validator = jsonschema.Draft202012Validator(
            {"$ref": f"urn:contract#/{pointer}"}, registry=self.registry
        )
        return [
            f"{'/'.join(str(p) for p in e.absolute_path) or '(body)'}: {e.message[:160]}"
            for e in validator.iter_errors(value)
        ]


def media_type(content_type):
    return (content_type or "").split(";", 1)[0].strip()


def trimmed(value):
    if isinstance(value, list):
        return [trimmed(v) for v in value[:KEEP_ITEMS]]
    if isinstance(value, dict):
        return {k: trimmed(v) for k, v in value.items()}
    if isinstance(value, str) and value.count("\n") > KEEP_LINES:
        return "\n".join(value.split("\n")[:KEEP_LINES]) + "\n"
    return value


def richness(value):
    if isinstance(value, list):
        return sum(richness(v) for v in value)
    if isinstance(value, dict):
        return sum(richness(v) for v in value.values())
    return 0 if value is None else 1


def request_media(op):
    content = op.get("requestBody", {}).get("content", {})
    return next(iter(content), None), content


def binary(content):
    """A file's bytes (a PDF, a download): nothing an example in the contract can show."""
    return content.get("schema", {}).get("$ref", "").endswith("/FileBytes")


def response_slots(op):
    """(status, media type) of each success response with a body an example can show."""
    for status, response in op.get("responses", {}).items():
        if status.startswith("2"):
            for media, content in response.get("content", {}).items():
                if not binary(content):
                    yield status, media


def checked_part(contract, path, method, part, status, media, value):
    """The example if its schema accepts it (trimmed where that still passes), else None."""
    if part == "request":
        where = ["paths", path, method, "requestBody", "content", media, "schema"]
    else:
        where = ["paths", path, method, "responses", status, "content", media, "schema"]
    schema = contract.doc["paths"][path][method]
    for key in where[3:]:
        schema = schema.get(key, {}) if isinstance(schema, dict) else {}
    if not schema:
        return value
    for candidate in (trimmed(value), value):
        if not contract.errors(where, candidate):
            return candidate
    return None


def candidates(contract, recorded):
    """Per operation, each recorded success whose parts its schemas accept, richest first."""
    found = {}
    for line in recorded:
        if not 200 <= line["status"] < 300:
            continue
        match = contract.operation_of(line["method"], line["path"])
        if not match:
            continue
        key, path, op = match
        method = line["method"].lower()
        example = {}
        wanted_request, request_content = request_media(op)
        if wanted_request:
            sent = media_type(line.get("request_content_type"))
            if sent not in request_content or line.get("request") is None:
                continue
            value = checked_part(contract, path, method, "request", None, sent, line["request"])
            if value is None:
                continue
            example["request"] = {"content_type": sent, "value": value}
        status = str(line["status"])
        got = media_type(line.get("response_content_type"))
        if (status, got) in set(response_slots(op)) and line.get("response") is not None:
            value = checked_part(contract, path, method, "response", status, got, line["response"])
            if value is not None:
                example["response"] = {"status": status, "content_type": got, "value": value}
        if example and len(json.dumps(example)) <= MAX_SIZE:
            score = (
                "response" in example,
                richness(example.get("response", {}).get("value")),
                richness(example.get("request", {}).get("value")),
                -len(json.dumps(example)),
            )
            found.setdefault(key, []).append((score, example))
    return found


def still_valid(contract, path, method, example):
    op = contract.doc["paths"][path][method]
    if "request" in example:
        r = example["request"]
        if r["content_type"] not in request_media(op)[1]:
            return False
        if checked_part(contract, path, method, "request", None, r["content_type"], r["value"]) is None:
            return False
    if "response" in example:
        r = example["response"]
        if (r["status"], r["content_type"]) not in set(response_slots(op)):
            return False
        if checked_part(contract, path, method, "response", r["status"], r["content_type"], r["value"]) is None:
            return False
    return True


def missing(op, example):
    """What an operation should have an example of and has not."""
    wants = []
    if request_media(op)[0] and "request" not in (example or {}):
        wants.append("request body")
    if any(True for _ in response_slots(op)) and "response" not in (example or {}):
        wants.append("response body")
    return wants


def update(contract, examples, recorded):
    found = candidates(contract, recorded)
    out = {}
    for key, path, method, op in contract.operations():
        current = examples.get(key)
        if current and still_valid(contract, path, method, current):
            out[key] = current
        if missing(op, out.get(key)) and key in found:
            best = max(found[key], key=lambda c: c[0])[1]
            merged = dict(out.get(key, {}))
            for part in ("request", "response"):
                if part not in merged and part in best:
                    merged[part] = best[part]
            out[key] = merged
    return out


def check(contract, examples):
    problems = []
    keys = set()
    for key, path, method, op in contract.operations():
        keys.add(key)
        example = examples.get(key)
        if example and not still_valid(contract, path, method, example):
            problems.append(f"{key}: its example no longer matches the contract")
        for want in missing(op, example):
            problems.append(f"{key}: no example of its {want}")
    for key in sorted(set(examples) - keys):
        problems.append(f"{key}: an example of an operation the contract does not have")
    return problems


def main():
    if len(sys.argv) < 4 or sys.argv[1] not in ("update", "check"):
        sys.exit(__doc__)
    contract = Contract(load(sys.argv[2]))
    try:
        examples = load(sys.argv[3])
    except FileNotFoundError:
        examples = {}
    if sys.argv[1] == "update":
        recorded = []
        for name in sys.argv[4:]:
            with open(name, encoding="utf-8") as f:
                recorded.extend(json.loads(line) for line in f if line.strip())
        examples = update(contract, examples, recorded)
        with open(sys.argv[3], "w", encoding="utf-8") as f:
            json.dump(examples, f, indent=1, sort_keys=True, ensure_ascii=False)
            f.write("\n")
    problems = check(contract, examples)
    for p in problems:
        print("example:", p)
    ops = sum(1 for _ in contract.operations())
    print(f"{ops} operations, {len(examples)} with an example, {len(problems)} problems")
    sys.exit(1 if problems and sys.argv[1] == "check" else 0)


main()
