"""Runs docs/getting-started.md against a server and checks every answer it shows.

Every ```sh block runs, in order, in one bash session (so the variables one block sets serve
the next), with `localhost:8080` replaced by ERP_ADDRESS. A ```json block after a sh block
holds the answers that block prints, one JSON document after another; each printed document
must contain what the page shows: objects by the keys shown, lists element by element, and a
string with `…` matches any text in its place. ```console blocks are for the reader only.

Usage: ERP_ADDRESS=127.0.0.1:18092 python3 tests/docs/getting_started.py [page]"""

import json
import os
import re
import subprocess
import sys
import tempfile

page = sys.argv[1] if len(sys.argv) > 1 else "docs/getting-started.md"
address = os.environ["ERP_ADDRESS"]
text = open(page, encoding="utf-8").read()
blocks = re.findall(r"^```(\w+)\n(.*?)^```$", text, flags=re.S | re.M)

steps = []  # (script, expected answers or None)
for kind, body in blocks:
    if kind == "sh":
        steps.append([body.replace("localhost:8080", address), None])
    elif kind == "json":
        assert steps and steps[-1][1] is None, "a json block must follow a sh block"
        decoder, answers, rest = json.JSONDecoder(), [], body.strip()
        while rest:
            value, end = decoder.raw_decode(rest)
            answers.append(value)
            rest = rest[end:].strip()
        steps[-1][1] = answers
assert steps, f"no sh blocks in {page}"

marker = "@@step-done@@"
script = "set -euo pipefail\n" + "".join(f"{s}\necho {marker}\n" for s, _ in steps)
# In a scratch folder: the page's commands may write files (`-o invoice.pdf`).
with tempfile.TemporaryDirectory() as scratch:
    run = subprocess.run(["bash", "-c", script], capture_output=True, text=True, timeout=300, cwd=scratch)
outputs = run.stdout.split(marker + "\n")
if run.returncode != 0:
    sys.exit(f"step {len(outputs)} failed ({run.returncode}):\n{steps[len(outputs) - 1][0]}\n{run.stderr}")


def matches(shown, got, path="$"):
    if isinstance(shown, dict):
        if not isinstance(got, dict):
            return f"{path}: expected an object, got {got!r}"
        for k, v in shown.items():
            if k not in got:
                return f"{path}.{k}: missing in {got!r}"
            if (why := matches(v, got[k], f"{path}.{k}")):
                return why
    elif isinstance(shown, list):
        if not isinstance(got, list) or len(got) != len(shown):
            return f"{path}: expected {len(shown)} elements, got {got!r}"
        for i, (a, b) in enumerate(zip(shown, got)):
            if (why := matches(a, b, f"{path}[{i}]")):
                return why
    elif isinstance(shown, str) and "…" in shown:
        pattern = ".*".join(re.escape(p) for p in shown.split("…"))
        if not (isinstance(got, str) and re.fullmatch(pattern, got, flags=re.S)):
            return f"{path}: {got!r} does not match {shown!r}"
    elif shown != got:
        return f"{path}: expected {shown!r}, got {got!r}"
    return None


checked = 0
for n, ((script_text, answers), out) in enumerate(zip(steps, outputs), start=1):
    if answers is None:
        continue
    decoder, printed, rest = json.JSONDecoder(), [], out.strip()
    while rest:
        value, end = decoder.raw_decode(rest)
        printed.append(value)
        rest = rest[end:].strip()
    if len(printed) != len(answers):
        sys.exit(f"step {n} printed {len(printed)} answers, the page shows {len(answers)}:\n{script_text}\n{out}")
    for shown, got in zip(answers, printed):
        if (why := matches(shown, got)):
            sys.exit(f"step {n}: {why}\n{script_text}")
        checked += 1
print(f"getting started: {len(steps)} steps run, {checked} answers as the page shows them")
