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
Exits 0 printing "verified" (已核验) when all holds, 1 otherwise. The canonical form, the leaf and the tree head
must stay those of engine/hash_chain.py, engine/transparency_log.py and appeals/services/tree_heads.py; the proofs are
RFC 9162's (Certificate Transparency), as engine/merkle.py makes them.

Its lines are for people, in the language the environment names, as the service's command line chooses
(appeals/adapters/cli.py): LC_ALL, then LC_MESSAGES, then LANG; one that names English (en_US.UTF-8) gives
English, any other or none Chinese. A program reads the exit status. It has its own small table of texts
(`TEXTS`) so that it needs nothing of the service; argparse's own words (usage, --help) are English.
"""

import argparse
import base64
import hashlib
import json
import os
import sys
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

GENESIS = "0" * 64
FORMAT = "appealflow-audit-bundle/2"
HEAD_FORMAT = "appealflow-tree-head/1"
LEAF_FORMAT = "appealflow-event/1"

#: What the verifier says, by key, in Chinese and English.
TEXTS = {
    "event_out_of_order": {
        "zh-CN": "第 {expected} 条事件：缺失或顺序不对（此处是第 {found} 条）",
        "en": "event {expected}: missing or out of order (found seq {found})",
    },
    "event_unlinked": {
        "zh-CN": "第 {seq} 条事件：未与前一条事件相链接",
        "en": "event {seq}: does not link to the event before it",
    },
    "event_hash_differs": {
        "zh-CN": "第 {seq} 条事件：内容与其哈希值不符",
        "en": "event {seq}: its content does not match its hash",
    },
    "events_of_many": {
        "zh-CN": "事件：并非都属于同一个流程实例",
        "en": "events: they are not all of one instance",
    },
    "header_differs": {
        "zh-CN": "诉求信息：其 {name} 与历史记录中登记的不符",
        "en": "header: its {name} is not the one the history reported",
    },
    "header_status_differs": {
        "zh-CN": "诉求信息：其状态“{status}”与历史记录得出的不符",
        "en": "header: its status '{status}' is not the one the history gives",
    },
    "verdict_elsewhere": {
        "zh-CN": "重放结论：说的不是这份历史记录（流程实例或事件数不符）",
        "en": "replay verdict: it is not about this history (its instance or number of events)",
    },
    "verdict_contradicts": {
        "zh-CN": "重放结论：既说一致又指出了不一致的事件，或者相反",
        "en": "replay verdict: it says consistent and names a bad event, or the reverse",
    },
    "process_differs": {
        "zh-CN": "流程：不是历史记录所运行的流程版本",
        "en": "process: it is not the process version the history ran on",
    },
    "files_differ": {
        "zh-CN": "流程文件：不是所称的流程包（内容哈希不符）",
        "en": "process files: they are not the package named (its content hash)",
    },
    "head_not_signed": {
        "zh-CN": "树头：不是用透明日志的密钥签署的",
        "en": "tree head: not signed by the log's key",
    },
    "statement_not_signed": {
        "zh-CN": "审计包：其诉求信息、重放结论、流程或历史记录长度不是服务所签署的",
        "en": "bundle: its header, verdict, process or history length is not what the service signed",
    },
    "proof_elsewhere": {
        "zh-CN": "历史记录：止于第 {seq} 条事件，而透明日志的证明针对第 {proven} 条事件",
        "en": "history: it ends at event {seq}, the log's proof is for event {proven}",
    },
    "event_not_in_tree": {
        "zh-CN": "第 {seq} 条事件：不在已签署的树中（历史记录被改写或截断）",
        "en": "event {seq}: not in the signed tree (the history was rewritten or truncated)",
    },
    "previous_head_not_signed": {
        "zh-CN": "前一个树头：不是用透明日志的密钥签署的",
        "en": "previous tree head: not signed by the log's key",
    },
    "heads_inconsistent": {
        "zh-CN": "树头：已签署的树不是前一个树的延续（透明日志被改写）",
        "en": "tree heads: the signed tree does not extend the one before it (the log was rewritten)",
    },
    "format_unknown": {
        "zh-CN": "审计包：格式为 {found}，应为 {expected}",
        "en": "bundle: format {found}, expected {expected}",
    },
    "no_events": {"zh-CN": "历史记录：审计包中没有任何事件", "en": "history: the bundle holds no event"},
    "not_an_object": {"zh-CN": "审计包：不是 JSON 对象", "en": "bundle: not a JSON object"},
    "malformed": {
        "zh-CN": "审计包：格式有误，某部分缺失或类型不对（{error}）",
        "en": "bundle: malformed, a part is missing or of the wrong kind ({error})",
    },
    "unreadable": {"zh-CN": "无法读取 {path}：{problem}", "en": "cannot read {path}: {problem}"},
    "not_json": {"zh-CN": "{path} 不是 JSON 文档（{problem}）", "en": "{path} is not a JSON document ({problem})"},
    "refused": {"zh-CN": "不通过：{problem}", "en": "refused: {problem}"},
    "verified": {
        "zh-CN": "已核验：{events} 条事件，流程包 {package}，在透明日志由密钥 {key} 于 {at} 签署的 {size} 个事件的树中",
        "en": "verified: {events} events, package {package}, in the log's tree of {size} events signed at {at} "
        "by key {key}",
    },
}


@dataclass(frozen=True)
class Said:
    """One of `TEXTS` with its parameters, worded when printed; `str()` gives the English."""

    key: str
    params: dict

    def worded(self, language: str) -> str:
        return TEXTS[self.key][language].format(**self.params)

    def __str__(self) -> str:
        return self.worded("en")


def said(key: str, /, **params) -> Said:
    return Said(key, params)


def language() -> str:
    """The reader's language, named by the environment (see the module docstring)."""
    named = next((os.environ[name] for name in ("LC_ALL", "LC_MESSAGES", "LANG") if os.environ.get(name)), "")
    return "en" if named.lower().startswith("en") else "zh-CN"


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


def chain_problems(events: list) -> list[Said]:
    found, previous = [], GENESIS
    for expected, event in enumerate(events, start=1):
        if event.get("seq") != expected:
            return [*found, said("event_out_of_order", expected=expected, found=event.get("seq"))]
        if event.get("prev_hash") != previous:
            found.append(said("event_unlinked", seq=expected))
        if event_hash(event) != event.get("hash"):
            found.append(said("event_hash_differs", seq=expected))
        previous = event.get("hash")
    if len({event.get("instance_id") for event in events}) > 1:
        found.append(said("events_of_many"))
    return found


def header_problems(bundle: dict, events: list) -> list[Said]:
    """The header, the verdict and the process as the history gives them."""
    found, header, verdict, process = [], bundle["appeal"], bundle["replay"], bundle["process"]
    reported = next((e["data"] for e in events if e["type"] == "appeal_reported"), {})
    for name in ("number", "channel"):
        if header.get(name) != reported.get(name):
            found.append(said("header_differs", name=name))
    ends = [e["type"] for e in events if e["type"] in ("closed", "reopened")]
    if header.get("status") != ("closed" if ends and ends[-1] == "closed" else "open"):
        found.append(said("header_status_differs", status=header.get("status")))
    if verdict.get("events") != len(events) or verdict.get("instance_id") != (
        events[0]["instance_id"] if events else None
    ):
        found.append(said("verdict_elsewhere"))
    if verdict.get("consistent") is not (verdict.get("first_bad_seq") is None):
        found.append(said("verdict_contradicts"))
    started = next((e["data"] for e in events if e["type"] == "instance_started"), {})
    versions = [started.get("version")] + [e["data"].get("to") for e in events if e["type"] == "migrated"]
    if process.get("id") != started.get("process_id") or process.get("version") != versions[-1]:
        found.append(said("process_differs"))
    if package_hash(process.get("files", {})) != process.get("package_hash"):
        found.append(said("files_differ"))
    return found


def log_problems(bundle: dict, events: list, public_key: str) -> list[Said]:
    """The signed head, the last event's inclusion under it, the consistency with the head before it,
    and the signature over the bundle's statement."""
    log, found = bundle["transparency"], []
    head = log["head"]
    if head.get("key") != public_key or not signed(public_key, head["signature"], head_message(head)):
        return [said("head_not_signed")]
    if not signed(public_key, bundle.get("signature", ""), statement(bundle)):
        found.append(said("statement_not_signed"))
    proven = events[-1]
    if log["event_seq"] != proven["seq"]:
        found.append(said("proof_elsewhere", seq=proven["seq"], proven=log["event_seq"]))
    leaf = leaf_hash(f"{LEAF_FORMAT} {proven['instance_id']} {proven['seq']} {proven['hash']}".encode())
    path = [bytes.fromhex(h) for h in log["inclusion"]]
    if not verify_inclusion(log["leaf_index"], head["size"], leaf, path, bytes.fromhex(head["root"])):
        found.append(said("event_not_in_tree", seq=proven["seq"]))
    before = log.get("previous_head")
    if before is not None:
        if not signed(public_key, before["signature"], head_message(before)):
            found.append(said("previous_head_not_signed"))
        proof = [bytes.fromhex(h) for h in log["consistency"]]
        if not verify_consistency(
            before["size"], head["size"], bytes.fromhex(before["root"]), bytes.fromhex(head["root"]), proof
        ):
            found.append(said("heads_inconsistent"))
    return found


def problems(bundle: dict, public_key: str | None = None) -> list[Said]:
    if bundle.get("format") != FORMAT:
        return [said("format_unknown", found=repr(bundle.get("format")), expected=repr(FORMAT))]
    events = bundle["events"]
    if not events:
        return [said("no_events")]
    return [
        *chain_problems(events),
        *header_problems(bundle, events),
        *log_problems(bundle, events, public_key or bundle["transparency"]["head"]["key"]),
    ]


def refused_line(problem: Said, reader: str) -> str:
    """The line that names one problem ("refused: ...", 不通过：...) in `reader`'s language."""
    return said("refused", problem=problem.worded(reader)).worded(reader)


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
    reader = language()
    try:
        with open(args.bundle, encoding="utf-8") as handle:
            bundle = json.load(handle)
    except OSError as error:
        print(refused_line(said("unreadable", path=args.bundle, problem=error.strerror), reader))
        return 2
    except (ValueError, UnicodeDecodeError) as error:
        print(refused_line(said("not_json", path=args.bundle, problem=error), reader))
        return 1
    try:
        found = problems(bundle, args.public_key) if isinstance(bundle, dict) else [said("not_an_object")]
    except (KeyError, TypeError, ValueError, AttributeError, IndexError) as error:
        found = [said("malformed", error=f"{type(error).__name__}: {error}")]
    for problem in found:
        print(refused_line(problem, reader))
    if found:
        return 1
    head = bundle["transparency"]["head"]
    events, package = len(bundle["events"]), bundle["process"]["package_hash"][:12]
    verified = said("verified", events=events, package=package, size=head["size"], at=head["at"], key=head["key"])
    print(verified.worded(reader))
    return 0


if __name__ == "__main__":
    sys.exit(main())
