"""A general BPMN runtime on SpiffWorkflow: deploy versions, run instances, tasks, timers, messages,
persistence and history. It knows nothing of any domain, imports no web framework and never commits.
"""

from .calendar import CalendarGap, WorkingCalendar
from .clock import FixedClock, SystemClock
from .deployments import Deployment
from .errors import Conflict, EngineError, InvalidData, InvalidPackage, NotFound, ProcessError
from .library import PackageLibrary
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
from .package import content_hash
from .runtime import Engine
from .store import InstanceView, with_item_versions

__all__ = [
    "CalendarGap",
    "Conflict",
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
    "NotFound",
    "Package",
    "PackageFile",
    "PackageLibrary",
    "ProcessError",
    "ProcessVersion",
    "SystemClock",
    "TYPE_MAP",
    "UtcDateTime",
    "WorkingCalendar",
    "WorkItem",
    "content_hash",
    "with_item_versions",
]
