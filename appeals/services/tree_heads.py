"""Signed tree heads of the transparency log (engine/transparency_log.py): published at a fixed interval
by the timer loop and on demand, signed with an Ed25519 key kept outside the database, and appended to
a file beside it that an auditor may print and keep.

A head is only signed when the log extends the last one: the new tree must prove consistent with the
last signed head (RFC 9162), so a log rewritten in the database is refused a signature, and `check`
rebuilds the whole log from the history to find what was rewritten (docs/transparency.md).
"""

import fcntl
import json
import logging
import os
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from engine import Conflict, InvalidData, NotFound, Text, merkle
from engine import transparency_log as log

from ..domain.messages import MESSAGES

HEAD_FORMAT = "appealflow-tree-head/1"
#: How much of the head file's end `last_heads` reads (a head is a line of about 400 bytes).
TAIL_BYTES = 16_384
logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class TreeHead:
    size: int
    root: str  # hex
    at: str  # ISO 8601, UTC
    key: str  # the public key, hex
    signature: str  # hex

    def message(self) -> bytes:
        """The bytes signed: format, size, root and time, one a line (tools/verify_bundle.py builds the same)."""
        return f"{HEAD_FORMAT}\n{self.size}\n{self.root}\n{self.at}\n".encode()

    def verified(self, public_key: str) -> bool:
        try:
            Ed25519PublicKey.from_public_bytes(bytes.fromhex(public_key)).verify(
                bytes.fromhex(self.signature), self.message()
            )
        except (InvalidSignature, ValueError):  # a forged head, or a malformed key or signature
            return False
        return self.key == public_key

    def printed(self) -> str:
        """The head as an auditor files it on paper."""
        return (
            f"tree head of {self.size} events, {self.at}\n  root       {self.root}\n"
            f"  key        {self.key}\n  signature  {self.signature}\n"
        )


class Transparency:
    """The signing key and the head file of one deployment (`TRANSPARENCY_KEY`, `TRANSPARENCY_HEADS`)."""

    def __init__(self, key_path: str, heads_path: str, *, publish_every: float = 60.0, check_every: float = 3600.0):
        self.publish_every, self.check_every = publish_every, check_every
        self.key = _key(Path(key_path))
        self.public_key = (
            self.key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw).hex()
        )
        self.heads_path = Path(heads_path)

    def intervals(self) -> tuple[float, float]:
        """Seconds between the heads the timer loop publishes, and between its checks of the whole log."""
        return self.publish_every, self.check_every

    def heads(self) -> list[TreeHead]:
        """Every head published, oldest first."""
        if not self.heads_path.exists():
            return []
        with self.heads_path.open(encoding="utf-8") as lines:
            return [TreeHead(**json.loads(line)) for line in lines if line.strip()]

    def last_heads(self, count: int) -> list[TreeHead]:
        """The last `count` heads, oldest first, read from the end of the file (which grows all year)."""
        if not self.heads_path.exists():
            return []
        with self.heads_path.open("rb") as handle:
            handle.seek(max(0, handle.seek(0, os.SEEK_END) - TAIL_BYTES))
            lines = handle.read().decode("utf-8").splitlines()[-count:]
        return [TreeHead(**json.loads(line)) for line in lines if line.strip()]

    def head_of_size(self, size: int) -> TreeHead | None:
        return next((head for head in self.heads() if head.size == size), None)

    def proofs(self, session, head: TreeHead, event) -> dict | None:
        """What puts `event` under `head`: its leaf, its audit path, and the proof that `head` extends the
        head published before it; None while the event is not yet in that tree."""
        position = log.position(session, event.id)
        if position is None or position >= head.size:
            return None
        before = [earlier for earlier in self.last_heads(2) if earlier.size < head.size][-1:]
        return {
            "head": asdict(head),
            "event_seq": event.seq,
            "leaf_index": position,
            "inclusion": [value.hex() for value in log.inclusion(session, position, head.size)],
            "previous_head": asdict(before[0]) if before else None,
            "consistency": [value.hex() for value in log.consistency(session, before[0].size, head.size)]
            if before
            else [],
        }

    def sign(self, message: bytes) -> str:
        return self.key.sign(message).hex()

    def publish(self, runtime) -> TreeHead:
        """Seal what waits, and sign a head for the log's new size if it grew (else the last head stands).

        Refused (Conflict) when the log in the database does not extend the last signed head."""
        with runtime.uow() as uow:
            log.seal(uow.session)
            uow.commit()
        with self._file_locked():
            heads = self.last_heads(1)
            last = heads[-1] if heads else None
            with runtime.uow().reading() as uow:
                size = log.size(uow.session)
                root = log.root(uow.session, size)
                proof = log.consistency(uow.session, last.size, size) if last else []
                now = uow.clock.now()
            if last is not None and not merkle.verify_consistency(
                last.size, size, bytes.fromhex(last.root), root, proof
            ):
                raise Conflict(
                    MESSAGES.text("log_rewritten", size=size, at=datetime.fromisoformat(last.at), signed=last.size)
                )
            if last is not None and last.size == size:
                return last
            head = self._signed(size, root.hex(), now.isoformat())
            with self.heads_path.open("a", encoding="utf-8") as lines:
                lines.write(json.dumps(asdict(head)) + "\n")
                lines.flush()
                os.fsync(lines.fileno())
            return head

    def check(self, runtime) -> list[Text]:
        """Everything that does not hold between the signed heads and the history: a head not signed by
        this key or smaller than the one before, and every leaf or root the history no longer gives; worded
        when read (the command line in its operator's language, the log in English)."""
        heads, problems = self.heads(), []
        for number, head in enumerate(heads, start=1):
            if not head.verified(self.public_key):
                problems.append(MESSAGES.text("head_not_signed", number=number, at=head.at))
            if number > 1 and head.size < heads[number - 2].size:
                problems.append(MESSAGES.text("head_smaller", number=number, at=head.at))
        with runtime.uow().reading() as uow:
            rebuilt = log.recompute(uow.session, [head.size for head in heads])
        problems += rebuilt.problems
        for number, head in enumerate(heads, start=1):
            root = rebuilt.roots.get(head.size, merkle.EMPTY_ROOT if head.size == 0 else None)
            if root is None:
                problems.append(MESSAGES.text("head_size_gone", number=number, at=head.at, size=head.size))
            elif root.hex() != head.root:
                problems.append(MESSAGES.text("head_root_differs", number=number, at=head.at, size=head.size))
        return problems

    def _signed(self, size: int, root: str, at: str) -> TreeHead:
        unsigned = TreeHead(size=size, root=root, at=at, key=self.public_key, signature="")
        return TreeHead(**{**asdict(unsigned), "signature": self.sign(unsigned.message())})

    @contextmanager
    def _file_locked(self):
        """One publisher at a time on this machine: the head file only ever grows, in order."""
        self.heads_path.parent.mkdir(parents=True, exist_ok=True)
        with open(f"{self.heads_path}.lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)


def _key(path: Path) -> Ed25519PrivateKey:
    """The signing key at `path`, made (readable by its owner only) if there is none yet."""
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        pem = Ed25519PrivateKey.generate().private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
        draft = path.with_name(f"{path.name}.{os.getpid()}.new")
        with os.fdopen(os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "wb") as handle:
            handle.write(pem)
        try:
            os.link(draft, path)  # whole or not at all: a process starting beside this one reads no half key
            logger.info("made a transparency log signing key at %s", path)
        except FileExistsError:  # another process made it meanwhile: theirs stands
            pass
        finally:
            os.unlink(draft)
    key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise ValueError(f"{path} holds no Ed25519 private key")
    return key


def tend(runtime, *, publish: bool, check: bool) -> None:
    """The timer loop's turn at the log: publish a head, check the whole log; what fails is logged (an
    alarm for the operators), never raised into the loop."""
    try:
        if publish or check:
            runtime.transparency.publish(runtime)
        if check:
            for problem in runtime.transparency.check(runtime):
                logger.error("transparency log: %s", problem)
    except Conflict as refused:
        logger.error("transparency log: %s", refused.message)
    except Exception:  # a lost database connection must not end the loop
        logger.exception("transparency log: publishing failed")


def current_head(runtime, *, actor) -> dict:
    """The log's head, published now if the log grew (any signed-in user: it holds no personal data)."""
    return asdict(runtime.transparency.publish(runtime))


def consistency(runtime, *, actor, old: int, new: int) -> dict:
    """The proof that the tree of the signed head of size `old` is a prefix of the one of size `new`."""
    if old > new:
        raise InvalidData(
            MESSAGES.text("heads_out_of_order"), fields={"from": MESSAGES.text("field_not_greater_than_to")}
        )
    heads = {}
    for name, size in (("from", old), ("to", new)):
        heads[name] = runtime.transparency.head_of_size(size)
        if heads[name] is None:
            raise NotFound(
                MESSAGES.text("head_unknown", size=size), fields={name: MESSAGES.text("field_no_head_of_size")}
            )
    with runtime.uow().reading() as uow:
        proof = log.consistency(uow.session, old, new)
    return {"from_": asdict(heads["from"]), "to": asdict(heads["to"]), "proof": [value.hex() for value in proof]}
