"""The transparency log (issue 26): every history event is a leaf of one append-only Merkle tree whose
heads are signed outside the database; consistency proofs between heads, inclusion proofs in bundles, and
a rewrite of the whole chain with its last_hash caught by the next check."""

import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select

from appeals.domain.models import Appeal
from appeals.services import tree_heads
from appeals.services.timers import run_forever
from engine import HistoryEvent, Instance, hash_chain, merkle, transparency_log
from engine.models import TransparencyLeaf, TransparencyNode
from tools import verify_bundle

from .helpers import complete, report, tampering, to_handling

ROOT = Path(__file__).resolve().parent.parent


def _head(as_) -> dict:
    response = as_("auditor").get("/api/v1/transparency/head")
    assert response.status_code == 200, response.json
    return response.json


def _rehash_chain(session, instance_id: int, seq: int, data: dict) -> None:
    """Rewrite event `seq`'s data and recompute every hash after it and the instance's last_hash: what
    someone with the application's database rights can do, which the chain alone does not show."""
    events = session.scalars(
        select(HistoryEvent).where(HistoryEvent.instance_id == instance_id).order_by(HistoryEvent.seq)
    ).all()
    previous = hash_chain.GENESIS
    for event in events:
        if event.seq == seq:
            event.data = data
        event.prev_hash = previous
        event.hash = previous = hash_chain.event_hash(event)
    session.get(Instance, instance_id).last_hash = previous


def test_every_event_is_a_leaf_under_a_signed_head_kept_in_the_file_and_printable(as_, runtime, app):
    appeal = report(as_)
    first = _head(as_)
    with runtime.uow() as uow:
        events = uow.session.scalar(select(func.count()).select_from(HistoryEvent))
    assert first["size"] == events > 0
    head = tree_heads.TreeHead(**first)
    assert head.verified(runtime.transparency.public_key)
    assert _head(as_) == first  # nothing new: the last head stands, no new line in the file
    to_handling(as_, appeal["id"])
    second = _head(as_)
    assert second["size"] > first["size"]
    assert [h.size for h in runtime.transparency.heads()] == [first["size"], second["size"]]
    printed = app.test_cli_runner().invoke(args=["transparency", "heads"])
    assert printed.exit_code == 0 and f"tree head of {second['size']} events" in printed.output
    assert second["root"] in printed.output and runtime.transparency.public_key in printed.output


@pytest.mark.tampers
def test_a_consistency_proof_between_two_heads_verifies_and_fails_after_a_rewrite(as_, runtime):
    appeal = report(as_)
    old = _head(as_)
    to_handling(as_, appeal["id"])
    new = _head(as_)
    roots = bytes.fromhex(old["root"]), bytes.fromhex(new["root"])

    def proof():
        response = as_("auditor").get(f"/api/v1/transparency/consistency?from={old['size']}&to={new['size']}")
        assert response.status_code == 200, response.json
        assert response.json["from"] == old and response.json["to"] == new
        return [bytes.fromhex(h) for h in response.json["proof"]]

    assert verify_bundle.verify_consistency(old["size"], new["size"], *roots, proof())

    with tampering(runtime) as session:  # one event rewritten, its chain and the whole log rebuilt after it
        instance_id = session.scalar(select(Appeal.instance_id).where(Appeal.id == appeal["id"]))
        _rehash_chain(session, instance_id, 2, {"rewritten": True})
        _rebuild_log(session)
    assert not verify_bundle.verify_consistency(old["size"], new["size"], *roots, proof())
    complete(as_, "village", appeal["id"], "handle_village", {"outcome": "resolved", "note": "fixed"})
    refused = as_("auditor").get("/api/v1/transparency/head")  # no head is signed over a rewritten log
    assert refused.status_code == 409, refused.json
    assert "transparency check" in refused.json["error"]["message"]


def _rebuild_log(session) -> None:
    """Recompute every node of the log from the history as it now is (a thorough forger's next step)."""
    rows = session.execute(
        select(HistoryEvent.instance_id, HistoryEvent.seq, HistoryEvent.hash)
        .join(TransparencyLeaf, TransparencyLeaf.event_id == HistoryEvent.id)
        .order_by(TransparencyLeaf.position)
    ).all()
    nodes = []
    frontier = merkle.Frontier(0, [])
    for row in rows:
        frontier.append(
            merkle.leaf_hash(transparency_log.leaf(*row)),
            lambda level, position, value: nodes.append({"level": level, "position": position, "hash": value}),
        )
    session.execute(TransparencyNode.__table__.delete())
    session.execute(TransparencyNode.__table__.insert(), nodes)


def test_consistency_names_a_size_no_head_has_and_refuses_from_after_to(as_):
    report(as_)
    head = _head(as_)
    unknown = as_("auditor").get(f"/api/v1/transparency/consistency?from={head['size']}&to={head['size'] + 5}")
    assert unknown.status_code == 404 and unknown.json["error"]["fields"] == {"to": "没有这一大小的签名树头"}
    backwards = as_("auditor").get(f"/api/v1/transparency/consistency?from={head['size']}&to=1")
    assert backwards.status_code == 422 and "from" in backwards.json["error"]["fields"]
    huge = as_("auditor").get("/api/v1/transparency/consistency?from=1&to=100000000000000000000")
    assert huge.status_code == 422 and "to" in huge.json["error"]["fields"]


@pytest.mark.tampers
def test_rewriting_the_whole_chain_and_last_hash_passes_replay_but_not_the_next_check(as_, runtime, app):
    appeal = report(as_)
    to_handling(as_, appeal["id"])
    assert app.test_cli_runner().invoke(args=["transparency", "head"]).exit_code == 0
    with runtime.uow() as uow:
        instance_id = uow.session.scalar(select(Appeal.instance_id).where(Appeal.id == appeal["id"]))
        reported = uow.session.scalar(
            select(HistoryEvent).where(HistoryEvent.instance_id == instance_id, HistoryEvent.type == "appeal_reported")
        )
        seq, data = reported.seq, {**reported.data, "channel": "web"}
    with tampering(runtime) as session:
        _rehash_chain(session, instance_id, seq, data)
    assert as_("auditor").get(f"/api/v1/appeals/{appeal['id']}/replay").json["consistent"] is True  # the gap

    checked = app.test_cli_runner().invoke(args=["transparency", "check"])
    assert checked.exit_code == 1
    assert f"流程实例 {instance_id} 的第 {seq} 条事件与透明日志所记录的不符\n" in checked.output
    assert "）：历史记录已得不出它的根哈希：前 " in checked.output and "已被改写：第 1 个树头（" in checked.output
    english = app.test_cli_runner().invoke(args=["transparency", "check"], env={"LANG": "en_US.UTF-8"})
    assert english.exit_code == 1
    assert f"event {seq} of instance {instance_id} is not the event the log holds\n" in english.output
    assert "REWRITTEN: head 1 (" in english.output and "the history no longer gives its root" in english.output


@pytest.mark.tampers
def test_the_timer_loops_check_logs_a_rewrite(as_, runtime, caplog):
    appeal = report(as_)
    tree_heads.tend(runtime, publish=True, check=False)
    with tampering(runtime) as session:
        instance_id = session.scalar(select(Appeal.instance_id).where(Appeal.id == appeal["id"]))
        _rehash_chain(session, instance_id, 1, {"process_id": "appeal", "version": 1, "data": {}})
    tree_heads.tend(runtime, publish=True, check=True)
    assert f"transparency log: leaf 0: event 1 of instance {instance_id} is not the event" in caplog.text


@pytest.mark.tampers
def test_a_removed_event_and_a_truncated_log_are_named(as_, runtime, app):
    report(as_)
    _head(as_)
    with tampering(runtime) as session:
        last = session.scalar(select(func.max(TransparencyLeaf.position)))
        session.execute(TransparencyLeaf.__table__.delete().where(TransparencyLeaf.position == last))
    checked = app.test_cli_runner().invoke(args=["transparency", "check"])
    assert checked.exit_code == 1
    assert "条事件既不在透明日志中，也不在等待记入" in checked.output
    assert "透明日志中已没有它的" in checked.output
    english = app.test_cli_runner().invoke(args=["transparency", "check"], env={"LANG": "en_US.UTF-8"})
    assert "neither in the log nor waiting for it" in english.output
    assert "the log no longer has its" in english.output


def _bundle(as_, appeal_id) -> dict:
    response = as_("auditor").get(f"/api/v1/appeals/{appeal_id}/audit-bundle")
    assert response.status_code == 200, response.json
    return response.json


def _verify(path: Path, *args, locale: str = "en_US.UTF-8") -> subprocess.CompletedProcess:
    """The verifier run on `path` by someone whose environment names `locale` (English unless told)."""
    command = [sys.executable, str(ROOT / "tools" / "verify_bundle.py"), *args, str(path)]
    return subprocess.run(command, capture_output=True, text=True, env={**os.environ, "LANG": locale})


def _swap_files(bundle):
    files = bundle["process"]["files"]
    name = next(n for n in files if n.endswith(".bpmn"))
    files[name] = files[name][:-8] + "AAAAAAA="
    bundle["process"]["package_hash"] = verify_bundle.package_hash(files)


def _rehash_bundle(bundle):
    bundle["events"][1]["data"]["channel"] = "web"
    previous = hash_chain.GENESIS
    for event in bundle["events"]:
        event["prev_hash"] = previous
        event["hash"] = previous = verify_bundle.event_hash(event)


TAMPERINGS = {
    "changed header": (lambda b: b["appeal"].update(status="closed"), "header: its status 'closed'"),
    "changed category": (lambda b: b["appeal"].update(category="consultation"), "not what the service signed"),
    "changed verdict": (
        lambda b: b["replay"].update(consistent=False, first_bad_seq=3, reason="x"),
        "not what the service signed",
    ),
    "truncated history": (lambda b: b["events"].pop(), "the log's proof is for event"),
    "reordered history": (
        lambda b: b["events"].insert(1, b["events"].pop(2)),
        "event 2: missing or out of order",
    ),
    "re-hashed history": (_rehash_bundle, "not in the signed tree"),
    "swapped files": (_swap_files, "not what the service signed"),
    "forged head": (lambda b: b["transparency"]["head"].update(size=1), "tree head: not signed by the log's key"),
}


@pytest.mark.parametrize("tampering_name", sorted(TAMPERINGS))
def test_a_bundle_verifies_and_a_tampered_one_is_refused_plainly(as_, tmp_path, tampering_name):
    appeal = report(as_)
    to_handling(as_, appeal["id"])
    bundle = _bundle(as_, appeal["id"])
    path = tmp_path / "bundle.json"
    path.write_text(json.dumps(bundle))
    good = _verify(path, "--public-key", bundle["transparency"]["head"]["key"])
    assert good.returncode == 0 and good.stdout.startswith("verified"), good.stdout

    change, named = TAMPERINGS[tampering_name]
    change(bundle)
    path.write_text(json.dumps(bundle))
    bad = _verify(path)
    assert bad.returncode == 1 and named in bad.stdout, bad.stdout
    assert "Traceback" not in bad.stdout + bad.stderr


def test_the_verifier_refuses_another_key_bad_json_and_explains_itself_without_a_traceback(as_, tmp_path):
    appeal = report(as_)
    path = tmp_path / "bundle.json"
    path.write_text(json.dumps(_bundle(as_, appeal["id"])))
    other = _verify(path, "--public-key", "11" * 32)
    assert other.returncode == 1 and "tree head: not signed by the log's key" in other.stdout
    for text in ("{not json", "[1, 2]", '{"format": "appealflow-audit-bundle/2", "events": [{}]}'):
        path.write_text(text)
        refused = _verify(path)
        assert refused.returncode == 1 and refused.stdout.startswith("refused: "), refused.stdout
        assert "Traceback" not in refused.stdout + refused.stderr
    helped = _verify(Path("--help"))
    assert helped.returncode == 0 and "usage" in helped.stdout and "Traceback" not in helped.stderr


def test_the_verifier_speaks_chinese_unless_the_environment_names_english(as_, tmp_path):
    """As the service's command line chooses: LC_ALL, LC_MESSAGES, then LANG; the exit status is the same."""
    appeal = report(as_)
    bundle = _bundle(as_, appeal["id"])
    path = tmp_path / "bundle.json"
    path.write_text(json.dumps(bundle))
    good = _verify(path, locale="zh_CN.UTF-8")
    assert good.returncode == 0 and good.stdout.startswith("已核验："), good.stdout
    assert "个事件的树中" in good.stdout and bundle["transparency"]["head"]["key"] in good.stdout
    bundle["events"][0]["data"]["version"] = 99
    path.write_text(json.dumps(bundle))
    for locale, line in (
        ("C.UTF-8", "不通过：第 1 条事件：内容与其哈希值不符\n"),
        ("zh_CN.UTF-8", "不通过：第 1 条事件：内容与其哈希值不符\n"),
        ("en_GB.UTF-8", "refused: event 1: its content does not match its hash\n"),
    ):
        refused = _verify(path, locale=locale)
        assert refused.returncode == 1 and line in refused.stdout, refused.stdout
    told = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "verify_bundle.py"), str(path)],
        capture_output=True,
        text=True,
        env={**os.environ, "LANG": "zh_CN.UTF-8", "LC_ALL": "en_US.UTF-8"},
    )
    assert "refused: event 1: its content does not match its hash\n" in told.stdout
    unreadable = _verify(tmp_path / "absent.json", locale="zh_CN.UTF-8")
    assert unreadable.returncode == 2 and unreadable.stdout.startswith("不通过：无法读取 "), unreadable.stdout


def test_a_bundle_proves_the_last_event_even_when_it_was_written_after_the_last_head(as_, runtime):
    appeal = report(as_)
    _head(as_)
    to_handling(as_, appeal["id"])  # events the last head does not hold yet
    bundle = _bundle(as_, appeal["id"])
    assert bundle["transparency"]["event_seq"] == bundle["events"][-1]["seq"]
    assert bundle["transparency"]["previous_head"]["size"] < bundle["transparency"]["head"]["size"]
    assert verify_bundle.problems(bundle, runtime.transparency.public_key) == []


@pytest.mark.tampers
def test_a_node_deleted_from_the_log_is_a_409_naming_the_check_not_a_500(as_, runtime):
    report(as_)
    _head(as_)
    with tampering(runtime) as session:
        session.execute(TransparencyNode.__table__.delete())
    report(as_)
    refused = as_("auditor").get("/api/v1/transparency/head")
    assert refused.status_code == 409 and "transparency check" in refused.json["error"]["message"], refused.json


def test_the_timer_loop_publishes_heads_at_its_interval_and_checks_the_log(as_, runtime, caplog):
    report(as_)
    runtime.transparency.publish_every, runtime.transparency.check_every = 0.02, 0.04
    stop = threading.Event()
    loop = threading.Thread(target=run_forever, args=(runtime,), kwargs={"interval": 0.01, "stop": stop})
    loop.start()
    try:
        for _ in range(500):
            if runtime.transparency.heads():
                break
            time.sleep(0.01)
    finally:
        stop.set()
        loop.join(timeout=10)
    [head] = runtime.transparency.heads()
    with runtime.uow() as uow:
        assert head.size == uow.session.scalar(select(func.count()).select_from(HistoryEvent))
    assert "transparency log" not in caplog.text
