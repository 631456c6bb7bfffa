"""engine/changes.py: what a Core writer of a mapped object sends, and that the session then has nothing to flush."""

from datetime import UTC, datetime

from sqlalchemy import create_engine, event
from sqlalchemy.orm import Session

from engine import EngineBase, Instance, changes

NOW = datetime(2026, 11, 2, 1, 0, tzinfo=UTC)


def _stored_instance(session) -> Instance:
    instance = Instance(process_version_id=1, status="running", state={}, last_seq=0, created_at=NOW, updated_at=NOW)
    session.add(instance)
    session.commit()
    return instance


def test_only_attributes_set_to_another_value_are_changes_and_written_ones_are_not_flushed_again():
    database = create_engine("sqlite://")
    EngineBase.metadata.create_all(database)
    with Session(database, expire_on_commit=False) as session:
        instance = _stored_instance(session)
        instance.status = "running"  # set to what it was: no change, as in a flush
        instance.last_seq = 3
        assert changes.of(instance) == {"last_seq": 3}

        changes.written(instance)
        assert changes.of(instance) == {} and instance.last_seq == 3
        flushes = []
        event.listen(session, "before_flush", lambda *_: flushes.append("flush"))
        session.commit()
        assert flushes == []  # nothing left to flush, not even a flush with nothing to write
