#!/usr/bin/env python3
"""Seeds fuzz/corpus/<target>/ from ../shared (definitions, and the paths, intrinsic calls and
JSONata expressions in them), at fuzz time: nothing from ../shared is committed."""
import hashlib
import json
import pathlib
import sys

here = pathlib.Path(__file__).resolve().parent
shared = pathlib.Path(sys.argv[1]) if len(sys.argv) > 1 else here.parent.parent / "shared"
if not shared.is_dir():
    sys.exit(f"no {shared}: nothing to seed from")

def put(target, data):
    d = here / "corpus" / target
    d.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        data = data.encode()
    (d / hashlib.sha1(data).hexdigest()).write_bytes(data)

def strings(v):
    if isinstance(v, str):
        yield v
    elif isinstance(v, list):
        for x in v:
            yield from strings(x)
    elif isinstance(v, dict):
        for k, x in v.items():
            yield k
            yield from strings(x)

definitions = []
for f in sorted((shared / "corpus" / "real-world").glob("*")):
    definitions.append(f.read_text(errors="replace"))
for name in ("cases.jsonl", "invalid.jsonl"):
    for line in (shared / "conformance" / name).read_text().splitlines():
        case = json.loads(line)
        text = case.get("definition_text")
        definitions.append(text if text else json.dumps(case.get("definition")))

for text in definitions:
    put("definition", text)
    try:
        tree = json.loads(text)
    except ValueError:
        continue
    for s in set(strings(tree)):
        if s.startswith("{%") and s.endswith("%}"):
            put("jsonata", s[2:-2])
        elif s.startswith("$") or s.startswith("States."):
            put("languages", s)
            put("evaluate", s + "\0" + '{"a": [1, {"b": "x"}], "n": 2, "s": "a,b"}')
for t in ("definition", "languages", "jsonata", "evaluate"):
    print(t, len(list((here / "corpus" / t).glob("*"))))
