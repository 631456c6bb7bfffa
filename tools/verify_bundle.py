#!/usr/bin/env python3
"""Verify an Appealflow audit bundle offline, with the Python standard library alone.

    python3 tools/verify_bundle.py bundle.json

Checks that every event's hash covers its content, that each event links to the one before it, and that
the process files are the package the history names (its content hash). Exits 0 and prints "verified"
when all holds; otherwise exits 1 naming the first event or file at fault. The canonical form below must
stay the one in engine/audit.py.
"""

import base64
import hashlib
import json
import sys

GENESIS = "0" * 64


def canonical(value) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def package_hash(files: dict) -> str:
    digest = hashlib.sha256()
    for name in sorted(files):
        digest.update(name.encode() + b"\0" + hashlib.sha256(base64.b64decode(files[name])).digest())
    return digest.hexdigest()


def problems(bundle: dict) -> list[str]:
    found = []
    previous = GENESIS
    for expected, event in enumerate(bundle.get("events", []), start=1):
        fields = {key: value for key, value in event.items() if key != "hash"}
        if event.get("seq") != expected:
            found.append(f"event {expected}: missing (found seq {event.get('seq')})")
            break
        if event.get("prev_hash") != previous:
            found.append(f"event {expected}: does not link to the event before it")
        if hashlib.sha256(canonical(fields).encode()).hexdigest() != event.get("hash"):
            found.append(f"event {expected}: its content does not match its hash")
        previous = event.get("hash")
    process = bundle.get("process", {})
    if package_hash(process.get("files", {})) != process.get("package_hash"):
        found.append("process files: they are not the package the history ran on")
    return found


def main(path: str) -> int:
    with open(path, encoding="utf-8") as handle:
        bundle = json.load(handle)
    found = problems(bundle)
    for problem in found:
        print(problem)
    if not found:
        print(f"verified: {len(bundle['events'])} events, package {bundle['process']['package_hash'][:12]}")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]) if len(sys.argv) == 2 else "usage: verify_bundle.py BUNDLE.json")
