#!/usr/bin/env python3
"""Verify an Appealflow audit bundle offline, with Python's standard library and `cryptography`.

    python3 tools/verify_bundle.py bundle.json [--public-key HEX]

It checks, and names the first thing at fault in each:
- the history: every event's hash covers its content, each links to the one before, in order, none missing;
- the transparency log: the signed tree head is signed by the log's key, the history's last event is in
  that tree (its inclusion proof), and the tree extends the head published before it (consistency);
- the bundle's own statement (the appeal's header, the replay verdict, the process and its package hash,
  the history's length and last hash) is signed by the same key, so none of it can be changed, and the
  header, the verdict and the process agree with the history;
- the process files are the package named (its content hash).
Exits 0 printing "verified" when all holds, 1 otherwise. The canonical form, the leaf and the tree head
must stay those of engine/hash_chain.py, engine/transparency_log.py and appeals/services/tree_heads.py; the proofs are
RFC 9162's (Certificate Transparency), as engine/merkle.py makes them.
"""

import argparse
import base64
import hashlib
import json
import sys

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

GENESIS = "0" * 64
FORMAT = "appealflow-audit-bundle/2"
HEAD_FORMAT = "appealflow-tree-head/1"
LEAF_FORMAT = "appealflow-event/1"


def canonical(value) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def package_hash(files: dict) -> str:
    digest = hashlib.sha256()
    for name in sorted(files):
        digest.update(name.encode() + b"\0" + hashlib.sha256(base64.b64decode(files[name])).digest())
    return digest.hexdigest()


def event_hash(event: dict) -> str:
    return hashlib.sha256(canonical({k: v for k, v in event.items() if k != "hash"}).encode()).hexdigest()


def leaf_hash(leaf: bytes) -> bytes:
    return hashlib.sha256(b"\x00" + leaf).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + left + right).digest()


def verify_inclusion(index: int, size: int, leaf: bytes, path: list, root: bytes) -> bool:
    """RFC 9162, section 2.1.3.2."""
    if index >= size:
        return False
    fn, sn, result = index, size - 1, leaf
    for sibling in path:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            result = node_hash(sibling, result)
            while not fn & 1 and fn:
                fn, sn = fn >> 1, sn >> 1
        else:
            result = node_hash(result, sibling)
        fn, sn = fn >> 1, sn >> 1
    return sn == 0 and result == root


def verify_consistency(old: int, new: int, old_root: bytes, new_root: bytes, proof: list) -> bool:
    """RFC 9162, section 2.1.4.2 (a tree of 0 leaves is a prefix of any)."""
    if old == new:
        return not proof and old_root == new_root
    if old == 0:
        return not proof and old_root == hashlib.sha256(b"").digest()
    if old > new:
        return False
    path = [old_root, *proof] if old & (old - 1) == 0 else list(proof)
    if not path:
        return False
    fn, sn = old - 1, new - 1
    while fn & 1:
        fn, sn = fn >> 1, sn >> 1
    first = second = path[0]
    for node in path[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            first, second = node_hash(node, first), node_hash(node, second)
            while not fn & 1 and fn:
                fn, sn = fn >> 1, sn >> 1
        else:
            second = node_hash(second, node)
        fn, sn = fn >> 1, sn >> 1
    return first == old_root and second == new_root and sn == 0


def signed(key: str, signature: str, message: bytes) -> bool:
    try:
        Ed25519PublicKey.from_public_bytes(bytes.fromhex(key)).verify(bytes.fromhex(signature), message)
    except (InvalidSignature, ValueError):
        return False
    return True


def head_message(head: dict) -> bytes:
    return f"{HEAD_FORMAT}\n{head['size']}\n{head['root']}\n{head['at']}\n".encode()


def statement(bundle: dict) -> bytes:
    """What the service signs of the bundle besides the history: change any of it and the signature fails."""
    events, process = bundle["events"], bundle["process"]
    return canonical(
        {
            "format": bundle["format"],
            "appeal": bundle["appeal"],
            "process": {key: process[key] for key in ("id", "version", "package_hash")},
            "replay": bundle["replay"],
            "events": len(events),
            "last_hash": events[-1]["hash"] if events else None,
            "head": {key: bundle["transparency"]["head"][key] for key in ("size", "root")},
        }
    ).encode()


def chain_problems(events: list) -> list[str]:
    found, previous = [], GENESIS
    for expected, event in enumerate(events, start=1):
        if event.get("seq") != expected:
            return [*found, f"event {expected}: missing or out of order (found seq {event.get('seq')})"]
        if event.get("prev_hash") != previous:
            found.append(f"event {expected}: does not link to the event before it")
        if event_hash(event) != event.get("hash"):
            found.append(f"event {expected}: its content does not match its hash")
        previous = event.get("hash")
    if len({event.get("instance_id") for event in events}) > 1:
        found.append("events: they are not all of one instance")
    return found


def header_problems(bundle: dict, events: list) -> list[str]:
    """The header, the verdict and the process as the history gives them."""
    found, header, verdict, process = [], bundle["appeal"], bundle["replay"], bundle["process"]
    reported = next((e["data"] for e in events if e["type"] == "appeal_reported"), {})
    for name in ("number", "channel"):
        if header.get(name) != reported.get(name):
            found.append(f"header: its {name} is not the one the history reported")
    ends = [e["type"] for e in events if e["type"] in ("closed", "reopened")]
    if header.get("status") != ("closed" if ends and ends[-1] == "closed" else "open"):
        found.append(f"header: its status '{header.get('status')}' is not the one the history gives")
    if verdict.get("events") != len(events) or verdict.get("instance_id") != (
        events[0]["instance_id"] if events else None
    ):
        found.append("replay verdict: it is not about this history (its instance or number of events)")
    if verdict.get("consistent") is not (verdict.get("first_bad_seq") is None):
        found.append("replay verdict: it says consistent and names a bad event, or the reverse")
    started = next((e["data"] for e in events if e["type"] == "instance_started"), {})
    versions = [started.get("version")] + [e["data"].get("to") for e in events if e["type"] == "migrated"]
    if process.get("id") != started.get("process_id") or process.get("version") != versions[-1]:
        found.append("process: it is not the process version the history ran on")
    if package_hash(process.get("files", {})) != process.get("package_hash"):
        found.append("process files: they are not the package named (its content hash)")
    return found


def log_problems(bundle: dict, events: list, public_key: str) -> list[str]:
    """The signed head, the last event's inclusion under it, the consistency with the head before it,
    and the signature over the bundle's statement."""
    log, found = bundle["transparency"], []
    head = log["head"]
    if head.get("key") != public_key or not signed(public_key, head["signature"], head_message(head)):
        return ["tree head: not signed by the log's key"]
    if not signed(public_key, bundle.get("signature", ""), statement(bundle)):
        found.append("bundle: its header, verdict, process or history length is not what the service signed")
    proven = events[-1]
    if log["event_seq"] != proven["seq"]:
        found.append(f"history: it ends at event {proven['seq']}, the log's proof is for event {log['event_seq']}")
    leaf = leaf_hash(f"{LEAF_FORMAT} {proven['instance_id']} {proven['seq']} {proven['hash']}".encode())
    path = [bytes.fromhex(h) for h in log["inclusion"]]
    if not verify_inclusion(log["leaf_index"], head["size"], leaf, path, bytes.fromhex(head["root"])):
        found.append(f"event {proven['seq']}: not in the signed tree (the history was rewritten or truncated)")
    before = log.get("previous_head")
    if before is not None:
        if not signed(public_key, before["signature"], head_message(before)):
            found.append("previous tree head: not signed by the log's key")
        proof = [bytes.fromhex(h) for h in log["consistency"]]
        if not verify_consistency(
            before["size"], head["size"], bytes.fromhex(before["root"]), bytes.fromhex(head["root"]), proof
        ):
            found.append("tree heads: the signed tree does not extend the one before it (the log was rewritten)")
    return found


def problems(bundle: dict, public_key: str | None = None) -> list[str]:
    if bundle.get("format") != FORMAT:
        return [f"bundle: format {bundle.get('format')!r}, expected {FORMAT!r}"]
    events = bundle["events"]
    if not events:
        return ["history: the bundle holds no event"]
    return [
        *chain_problems(events),
        *header_problems(bundle, events),
        *log_problems(bundle, events, public_key or bundle["transparency"]["head"]["key"]),
    ]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(
        description="Verify an Appealflow audit bundle offline (history, transparency log, header, verdict, files).",
        epilog="Exit status: 0 verified, 1 refused, 2 the file could not be read.",
    )
    parser.add_argument("bundle", help="the JSON file GET /api/v1/appeals/{id}/audit-bundle returned")
    parser.add_argument(
        "--public-key",
        help="the log's Ed25519 public key (hex), as the service publishes it; without it the key the bundle "
        "names is used, and printed for you to compare",
    )
    args = parser.parse_args(argv)
    try:
        with open(args.bundle, encoding="utf-8") as handle:
            bundle = json.load(handle)
    except OSError as error:
        print(f"refused: cannot read {args.bundle}: {error.strerror}")
        return 2
    except (ValueError, UnicodeDecodeError) as error:
        print(f"refused: {args.bundle} is not a JSON document ({error})")
        return 1
    try:
        found = problems(bundle, args.public_key) if isinstance(bundle, dict) else ["bundle: not a JSON object"]
    except (KeyError, TypeError, ValueError, AttributeError, IndexError) as error:
        found = [f"bundle: malformed, a part is missing or of the wrong kind ({type(error).__name__}: {error})"]
    for problem in found:
        print(f"refused: {problem}")
    if found:
        return 1
    head = bundle["transparency"]["head"]
    print(
        f"verified: {len(bundle['events'])} events, package {bundle['process']['package_hash'][:12]}, "
        f"in the log's tree of {head['size']} events signed at {head['at']} by key {head['key']}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
