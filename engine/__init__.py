"""A general BPMN runtime on SpiffWorkflow: deploy versions, run instances, tasks, timers, messages,
persistence and history. It knows nothing of any domain, imports no web framework and never commits.
"""

from . import hash_chain, jsondata, merkle, transparency_log
from .calendar import CalendarGap, WorkingCalendar, save_year
from .clock import FixedClock, SystemClock
from .deployments import Deployment, with_item_versions
from .errors import Conflict, EngineError, InvalidData, InvalidPackage, NotFound, ProcessError
from .library import PackageLibrary
from .live import LiveWorkflows
from .messages import MESSAGES
from .models import (
    TYPE_MAP,
    DueTimer,
    EngineBase,
    HistoryEvent,
    Instance,
    Package,
    PackageFile,
    ProcessVersion,
    UtcDateTime,
    WorkItem,
)
from .package import content_hash, files_from_upload
from .runtime import Engine
from .store import InstanceView
from .texts import DEFAULT_LANGUAGE, LANGUAGES, Catalog, Text, worded_items, worded_values

#: hash_chain, jsondata, merkle and transparency_log are public as modules: their functions are
#: called by the module's name (`hash_chain.canonical`, `merkle.verify_consistency`).
__all__ = [
    "CalendarGap",
    "Catalog",
    "Conflict",
    "DEFAULT_LANGUAGE",
    "Deployment",
    "DueTimer",
    "Engine",
    "EngineBase",
    "EngineError",
    "FixedClock",
    "HistoryEvent",
    "Instance",
    "InstanceView",
    "InvalidData",
    "InvalidPackage",
    "LiveWorkflows",
    "LANGUAGES",
    "MESSAGES",
    "NotFound",
    "Package",
    "PackageFile",
    "PackageLibrary",
    "ProcessError",
    "ProcessVersion",
    "SystemClock",
    "TYPE_MAP",
    "Text",
    "UtcDateTime",
    "WorkItem",
    "WorkingCalendar",
    "content_hash",
    "files_from_upload",
    "hash_chain",
    "jsondata",
    "merkle",
    "save_year",
    "transparency_log",
    "with_item_versions",
    "worded_items",
    "worded_values",
]
