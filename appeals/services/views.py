"""How appeals, tasks and history look to callers: plain dicts for the API's schemas."""


def appeal_view(appeal, *, reporter, process, tasks, duplicate_of=None, duplicates=(), instructions=()) -> dict:
    """`reporter` is the reporter as the caller may see them (see access.reporter_for)."""
    return {
        "id": appeal.id,
        "number": appeal.number,
        "title": appeal.title,
        "description": appeal.description,
        "status": appeal.status,
        "stage": appeal.stage,
        "category": appeal.category,
        "channel": appeal.channel,
        "unit": appeal.unit,
        "intake_unit": appeal.intake_unit,
        "deadline": appeal.deadline,
        "deadline_provisional": appeal.deadline_provisional,
        "disposition": appeal.disposition,
        "satisfaction": appeal.satisfaction,
        "reopen_count": appeal.reopen_count,
        "failed_callbacks": appeal.failed_callbacks,
        "unreachable": appeal.unreachable,
        "duplicate_of": duplicate_of,
        "duplicates": list(duplicates),
        "original_reply": (
            {"message": appeal.original_reply, "at": appeal.original_replied_at} if appeal.original_reply else None
        ),
        "reporter": reporter,
        "confidential": appeal.confidential,
        "location": {"address": appeal.address, "lat": appeal.lat, "lon": appeal.lon},
        "process": {"id": process.process_id, "version": process.version},
        "claimed_by": appeal.claimed_by,
        "claimed_at": appeal.claimed_at,
        "instructions": [{"author": i.author, "text": i.text, "created_at": i.created_at} for i in instructions],
        "created_at": appeal.created_at,
        "closed_at": appeal.closed_at,
        "tasks": tasks,
    }


def task_view(item, *, appeal_id=None, form=None, reminded_at=None) -> dict:
    view = {
        "id": item.id,
        "appeal_id": appeal_id,
        "instance_id": item.instance_id,
        "step": item.step,
        "name": item.name,
        "lane": item.lane,
        "unit": item.candidate_group,
        "due_at": item.due_at,
        "due_provisional": item.due_provisional,
        "context": item.context or {},
        "reminded_at": reminded_at,
    }
    if form is not None:
        view["form"] = form
    return view


def open_task_view(task, **more) -> dict:
    """A task open in a workflow's state (`OpenTask`, which has no work item behind it in a replay), with
    `more` fields of the caller's view."""
    return {
        "id": task.id,
        "step": task.step,
        "name": task.name,
        "lane": task.lane,
        "unit": task.candidate_group,
        "due_at": task.due_at,
        "due_provisional": task.due_provisional,
        **more,
    }


def event_view(event) -> dict:
    return {
        "seq": event.seq,
        "at": event.at,
        "type": event.type,
        "actor": event.actor,
        "step": event.step,
        "data": event.data,
    }
