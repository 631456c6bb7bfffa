"""Schemas of appeals: what intake submits, what everyone reads."""

import marshmallow as ma

from appeals.domain import vocabulary
from appeals.domain.messages import MESSAGES
from appeals.domain.vocabulary import CATEGORIES, CHANNELS
from appeals.services import similar

from .. import validate
from ..framework import MAX_ID, QueryArgsSchema
from ..language import language
from ..periods import Day

#: What a phone number may hold (a reporter's, or one searched for at intake).
PHONE_FORMAT = validate.Regexp(r"^[0-9+\-\s*]{3,32}$", error=MESSAGES.text("field_phone_number"))
LATITUDE, LONGITUDE = validate.Range(-90, 90), validate.Range(-180, 180)


class ReporterSchema(ma.Schema):
    name = ma.fields.String(validate=validate.Length(1, 100), allow_none=True)
    phone = ma.fields.String(validate=PHONE_FORMAT, allow_none=True)


class LocationSchema(ma.Schema):
    address = ma.fields.String(validate=validate.Length(max=400), allow_none=True)
    lat = ma.fields.Float(validate=LATITUDE, allow_none=True)
    lon = ma.fields.Float(validate=LONGITUDE, allow_none=True)


class AppealCreateSchema(ma.Schema):
    title = ma.fields.String(required=True, validate=validate.Length(1, 200))
    description = ma.fields.String(required=True, validate=validate.Length(1, 4000))
    channel = ma.fields.String(required=True, validate=validate.OneOf(CHANNELS))
    category = ma.fields.String(validate=validate.OneOf(CATEGORIES), allow_none=True)
    reporter = ma.fields.Nested(ReporterSchema)
    location = ma.fields.Nested(LocationSchema)
    unit = ma.fields.String(
        validate=validate.Length(1, 64), metadata={"description": "The receiving unit; default: yours"}
    )
    confidential = ma.fields.Boolean(
        load_default=False, metadata={"description": "Handlers never see who reported a confidential appeal"}
    )


class ProcessRefSchema(ma.Schema):
    id = ma.fields.String()
    version = ma.fields.Integer()


class AppealTaskSchema(ma.Schema):
    id = ma.fields.String()
    appeal_id = ma.fields.Integer(allow_none=True)
    instance_id = ma.fields.Integer()
    step = ma.fields.String()
    name = ma.fields.Method(
        "_name",
        allow_none=True,
        metadata={"type": "string", "description": "The step's name in the Accept-Language (else the process's)"},
    )
    lane = ma.fields.String(allow_none=True)
    unit = ma.fields.String(allow_none=True)
    due_at = ma.fields.AwareDateTime(allow_none=True)
    due_provisional = ma.fields.Boolean(
        metadata={"description": "The due time was reckoned on a provisional calendar year (no official schedule)"}
    )
    context = ma.fields.Dict(metadata={"description": "Process data the step shows (its showData property)"})
    reminded_at = ma.fields.AwareDateTime(allow_none=True, metadata={"description": "When a reminder went out"})

    def _name(self, task: dict) -> str | None:
        return vocabulary.name("steps", task["step"], language()) or task["name"]


class ReplySchema(ma.Schema):
    message = ma.fields.String()
    at = ma.fields.AwareDateTime()


class InstructionSchema(ma.Schema):
    author = ma.fields.String()
    text = ma.fields.String()
    created_at = ma.fields.AwareDateTime()


class InstructionCreateSchema(ma.Schema):
    text = ma.fields.String(required=True, validate=validate.Length(1, 4000))


class ClaimCreateSchema(ma.Schema):
    until = Day(metadata={"description": "Complete by the end of this day (local); default: the claim_limit decision"})


class ReminderCreateSchema(ma.Schema):
    note = ma.fields.String(required=True, validate=validate.Length(1, 1000), metadata={"description": "What to do"})
    task_id = ma.fields.String(
        data_key="task",
        validate=validate.Length(1, 64),
        metadata={"description": "The open task to remind of; default: every open task of the appeal"},
    )


class RemindedTaskSchema(ma.Schema):
    task_id = ma.fields.String()
    step = ma.fields.String()
    unit = ma.fields.String(allow_none=True)
    lane = ma.fields.String(allow_none=True)


class ReminderSchema(ma.Schema):
    appeal_id = ma.fields.Integer()
    number = ma.fields.String()
    note = ma.fields.String()
    by = ma.fields.String()
    reminded = ma.fields.List(ma.fields.Nested(RemindedTaskSchema), metadata={"description": "Who was reminded"})


class AppealSchema(ma.Schema):
    id = ma.fields.Integer()
    number = ma.fields.String()
    title = ma.fields.String()
    description = ma.fields.String()
    status = ma.fields.String(metadata={"enum": ["open", "closed"]})
    stage = ma.fields.String(allow_none=True, metadata={"description": "The open step, or what the appeal waits for"})
    category = ma.fields.String(allow_none=True)
    channel = ma.fields.String()
    unit = ma.fields.String(metadata={"description": "The unit the appeal is with now"})
    intake_unit = ma.fields.String()
    deadline = ma.fields.AwareDateTime(allow_none=True, metadata={"description": "When the citizen must have a reply"})
    deadline_provisional = ma.fields.Boolean(
        metadata={"description": "The deadline was reckoned on a provisional calendar year (no official schedule)"}
    )
    disposition = ma.fields.String(allow_none=True)
    satisfaction = ma.fields.String(allow_none=True)
    reopen_count = ma.fields.Integer()
    failed_callbacks = ma.fields.Integer(
        metadata={"description": "Attempts to reach the citizen for the evaluation that failed, this round"}
    )
    unreachable = ma.fields.Boolean(metadata={"description": "Closed because the citizen could not be reached"})
    duplicate_of = ma.fields.String(allow_none=True, metadata={"description": "The number of the appeal it repeats"})
    duplicates = ma.fields.List(ma.fields.String(), metadata={"description": "The numbers of the appeals repeating it"})
    original_reply = ma.fields.Nested(
        ReplySchema,
        allow_none=True,
        metadata={
            "description": "For a duplicate: the latest reply on the appeal it repeats, told to its reporter too"
        },
    )
    reporter = ma.fields.Nested(
        ReporterSchema,
        allow_none=True,
        metadata={"description": "Masked except for those who call the citizen back; null when confidential"},
    )
    confidential = ma.fields.Boolean()
    location = ma.fields.Nested(LocationSchema)
    process = ma.fields.Nested(ProcessRefSchema)
    claimed_by = ma.fields.String(allow_none=True, metadata={"description": "The leader who claimed the appeal"})
    claimed_at = ma.fields.AwareDateTime(allow_none=True)
    instructions = ma.fields.List(ma.fields.Nested(InstructionSchema), metadata={"description": "Leaders' 批示"})
    created_at = ma.fields.AwareDateTime()
    closed_at = ma.fields.AwareDateTime(allow_none=True)
    tasks = ma.fields.List(ma.fields.Nested(AppealTaskSchema))


class AppealQueryArgsSchema(QueryArgsSchema):
    status = ma.fields.String(validate=validate.OneOf(["open", "closed"]))
    stage = ma.fields.String(validate=validate.Length(1, 64))
    category = ma.fields.String(validate=validate.OneOf(CATEGORIES))
    channel = ma.fields.String(validate=validate.OneOf(CHANNELS))
    unit = ma.fields.String(validate=validate.Length(1, 64))
    limit = ma.fields.Integer(load_default=50, validate=validate.Range(1, 500))
    offset = ma.fields.Integer(load_default=0, validate=validate.Range(0, MAX_ID))


class SimilarCallSchema(ma.Schema):
    """The call typed so far at intake; every field is optional, a map point needs both halves. A body, not a
    query string: the phone and address must not travel in a URL, which servers and proxies log."""

    title = ma.fields.String(validate=validate.Length(1, 200))
    address = ma.fields.String(validate=validate.Length(1, 400))
    phone = ma.fields.String(validate=PHONE_FORMAT, metadata={"description": "Matched exactly, never echoed back"})
    lat = ma.fields.Float(validate=LATITUDE)
    lon = ma.fields.Float(validate=LONGITUDE)

    @ma.validates_schema
    def _whole_point(self, args, **kwargs):
        for half, other in (("lat", "lon"), ("lon", "lat")):
            if half in args and other not in args:
                raise ma.ValidationError([MESSAGES.text("field_give_with", other=other, half=half)], other)


class SimilarAppealSchema(ma.Schema):
    id = ma.fields.Integer()
    number = ma.fields.String()
    title = ma.fields.String()
    address = ma.fields.String(allow_none=True)
    stage = ma.fields.String(allow_none=True)
    unit = ma.fields.String()
    created_at = ma.fields.AwareDateTime()
    reporter = ma.fields.Nested(
        ReporterSchema, allow_none=True, metadata={"description": "Masked as in every list; null when confidential"}
    )
    reasons = ma.fields.List(
        ma.fields.String(metadata={"enum": list(similar.LIKENESS)}),
        metadata={"description": "How it is alike the call: same phone, address, similar title, map point nearby"},
    )


class EventSchema(ma.Schema):
    seq = ma.fields.Integer()
    at = ma.fields.AwareDateTime()
    type = ma.fields.String()
    actor = ma.fields.String(allow_none=True)
    step = ma.fields.String(allow_none=True)
    data = ma.fields.Dict()


class VerdictSchema(ma.Schema):
    appeal_id = ma.fields.Integer()
    number = ma.fields.String()
    instance_id = ma.fields.Integer()
    consistent = ma.fields.Boolean()
    events = ma.fields.Integer(metadata={"description": "How many events the history has"})
    first_bad_seq = ma.fields.Integer(allow_none=True, metadata={"description": "The first event that does not hold"})
    reason = ma.fields.String(allow_none=True, metadata={"description": "Why not, in the reader's language"})


class StateAtArgsSchema(QueryArgsSchema):
    at = ma.fields.Integer(
        required=True, validate=validate.Range(1, MAX_ID), metadata={"description": "An event's seq"}
    )


class StateAtSchema(ma.Schema):
    seq = ma.fields.Integer()
    at = ma.fields.AwareDateTime()
    appeal = ma.fields.Nested(AppealSchema, metadata={"description": "The appeal record as it was"})
    tasks = ma.fields.List(ma.fields.Nested(AppealTaskSchema))
    data = ma.fields.Dict(metadata={"description": "The process data as the next step saw it"})


class AuditBundleSchema(ma.Schema):
    format = ma.fields.String()
    appeal = ma.fields.Dict()
    process = ma.fields.Dict(metadata={"description": "id, version, package_hash, files (base64)"})
    events = ma.fields.List(ma.fields.Dict(), metadata={"description": "Every event with prev_hash and hash"})
    replay = ma.fields.Dict()
    transparency = ma.fields.Dict(
        metadata={
            "description": "head (signed tree head), event_seq and leaf_index of the last event, inclusion "
            "(its audit path), previous_head and consistency (the proof that head extends it); hex hashes"
        }
    )
    signature = ma.fields.String(metadata={"description": "The log's key over the header, verdict and process"})


class UnmaskSchema(ma.Schema):
    reason = ma.fields.String(
        required=True, validate=validate.Length(5, 500), metadata={"description": "Why you need it"}
    )


class PathArgsSchema(QueryArgsSchema):
    at = ma.fields.Integer(
        validate=validate.Range(1, MAX_ID), metadata={"description": "An event's seq (default: the last)"}
    )


class PassedSchema(ma.Schema):
    id = ma.fields.String(metadata={"description": "A BPMN element's or sequence flow's id"})
    count = ma.fields.Integer(metadata={"description": "How many times the appeal passed it"})


class PathTaskSchema(ma.Schema):
    element = ma.fields.String(metadata={"description": "The user task's BPMN element id (the step)"})
    name = ma.fields.String(allow_none=True)
    lane = ma.fields.String(allow_none=True)
    unit = ma.fields.String(allow_none=True)
    due_at = ma.fields.AwareDateTime(allow_none=True)


class PathTimerSchema(ma.Schema):
    element = ma.fields.String(metadata={"description": "The timer event's BPMN element id"})
    name = ma.fields.String(allow_none=True)
    due_at = ma.fields.AwareDateTime()


class ProcessPathSchema(ma.Schema):
    process_id = ma.fields.String()
    version = ma.fields.Integer(metadata={"description": "GET .../diagrams/{process_id}/versions/{version}"})
    file = ma.fields.String(allow_none=True, metadata={"description": "The BPMN file of the version"})
    runs = ma.fields.Integer(metadata={"description": "How many times the process ran (was called)"})
    elements = ma.fields.List(ma.fields.Nested(PassedSchema))
    flows = ma.fields.List(ma.fields.Nested(PassedSchema))
    active = ma.fields.List(ma.fields.String(), metadata={"description": "Elements running: call activities"})
    tasks = ma.fields.List(ma.fields.Nested(PathTaskSchema), metadata={"description": "Open tasks"})
    timers = ma.fields.List(ma.fields.Nested(PathTimerSchema), metadata={"description": "Waiting timers"})


class PathSchema(ma.Schema):
    appeal_id = ma.fields.Integer()
    seq = ma.fields.Integer(metadata={"description": "The event the path goes up to"})
    at = ma.fields.AwareDateTime()
    processes = ma.fields.List(
        ma.fields.Nested(ProcessPathSchema), metadata={"description": "The appeal's process first, then those called"}
    )
