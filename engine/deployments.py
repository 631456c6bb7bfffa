"""Deployed packages and their versions: deploy, look up, compare, and find a task's form.

A part of the Engine (engine/runtime.py) kept apart because it concerns process definitions, not instances.
"""

from dataclasses import dataclass, field

from sqlalchemy import bindparam, select

from . import decisions, version_diff
from .errors import NotFound
from .messages import MESSAGES
from .models import Instance, Package, PackageFile, ProcessVersion, WorkItem
from .package import ParsedPackage, check_package, content_hash, parse_package


@dataclass
class Deployment:
    package_id: int
    versions: list[ProcessVersion]
    created: bool
    warnings: list[dict] = field(default_factory=list)


class Deployments:
    """The Engine's operations on deployed versions (expects `session`, `clock`, `library`, `script_engine`,
    `zone`, in which packages are checked, and a dict `_packages_seen`)."""

    def package(self, package_id: int, digest: str | None = None) -> ParsedPackage:
        """A deployed package, parsed; looked up once per engine (one unit of work), then remembered.
        `digest` is its content hash when the caller has read it already."""
        if package_id not in self._packages_seen:
            self._packages_seen[package_id] = self.library.get(self.session, package_id, digest)
        return self._packages_seen[package_id]

    def deploy(self, files: dict[str, bytes], *, actor: str, lanes=None, forms_required=()) -> Deployment:
        """Deploy a package; identical content returns the versions it already has."""
        existing = self._deployed(files)
        if existing is not None:
            versions = self.session.scalars(
                select(ProcessVersion).where(ProcessVersion.package_id == existing.id)
            ).all()
            return Deployment(existing.id, list(versions), created=False)
        parsed = parse_package(files, zone=self.zone, lanes=lanes, forms_required=forms_required)
        now = self.clock.now()
        package = Package(content_hash=parsed.content_hash, created_at=now, created_by=actor)
        self.session.add(package)
        self.session.flush()
        self.session.add_all(
            PackageFile(package_id=package.id, name=name, content=content) for name, content in files.items()
        )
        versions = []
        for process_id in sorted(parsed.specs):
            latest = self.session.scalar(
                select(ProcessVersion.version)
                .where(ProcessVersion.process_id == process_id)
                .order_by(ProcessVersion.version.desc())
                .limit(1)
            )
            versions.append(
                ProcessVersion(process_id=process_id, version=(latest or 0) + 1, package_id=package.id, created_at=now)
            )
        self.session.add_all(versions)
        self.session.flush()
        self.library.put(parsed)
        return Deployment(package.id, versions, created=True, warnings=[w.as_dict() for w in parsed.warnings])

    def check(self, files: dict[str, bytes], *, lanes=None, forms_required=()) -> dict:
        """What deploying `files` would find, deploying nothing: every error and warning (Problem dicts),
        and the id of the package already deployed with the same content, if there is one."""
        parsed, errors = check_package(files, zone=self.zone, lanes=lanes, forms_required=forms_required)
        existing = self._deployed(files)
        return {
            "errors": [p.as_dict() for p in errors],
            "warnings": [p.as_dict() for p in parsed.warnings],
            "deployed_package_id": existing.id if existing is not None else None,
        }

    def _deployed(self, files: dict[str, bytes]) -> Package | None:
        """The package deployed with these files, or the newest package if these differ from its files only
        in sample data (`*.sample.json`, which only tries timers at deploy and never runs): a designer who
        sends the package again without them changes nothing, and gets no new versions."""
        same = self.session.scalar(select(Package).where(Package.content_hash == content_hash(files)))
        if same is not None:
            return same
        newest = self.session.scalar(select(Package).order_by(Package.id.desc()).limit(1))
        if newest is not None and _runnable(self.package(newest.id, newest.content_hash).files) == _runnable(files):
            return newest
        return None

    def latest_version(self, process_id: str) -> ProcessVersion:
        """The newest version of a process, read with its package's content hash, which readies the package
        for `package()` without a query of its own (a start needs both)."""
        row = self.session.execute(LATEST_VERSION, {"process_id": process_id}).one_or_none()
        if row is None:
            raise NotFound(
                MESSAGES.text("process_not_deployed", process_id=process_id),
                fields={"process_id": MESSAGES.text("field_process_unknown")},
            )
        version, digest = row
        self.package(version.package_id, digest)
        return version

    def versions(self, process_id: str | None = None) -> list[ProcessVersion]:
        """Deployed versions, of one process or of all, oldest first."""
        query = select(ProcessVersion).order_by(ProcessVersion.process_id, ProcessVersion.version)
        if process_id is not None:
            query = query.where(ProcessVersion.process_id == process_id)
        return list(self.session.scalars(query))

    def version(self, process_id: str, number: int) -> ProcessVersion:
        found = self.session.scalar(
            select(ProcessVersion).where(ProcessVersion.process_id == process_id, ProcessVersion.version == number)
        )
        if found is None:
            raise NotFound(
                MESSAGES.text("version_unknown", process_id=process_id, number=number),
                fields={"version": MESSAGES.text("field_version_unknown")},
            )
        return found

    def decide(self, process_id: str, decision_id: str, data: dict) -> dict:
        """Evaluate decision `decision_id` of the newest package of `process_id` on `data`, outside any
        instance (see decisions.py): what the administrators deployed last holds for every caller."""
        version = self.latest_version(process_id)
        return decisions.decide(self.package(version.package_id).decisions, decision_id, data, self.script_engine)

    def package_file(self, version: ProcessVersion, name: str) -> bytes:
        found = self.session.get(PackageFile, (version.package_id, name))
        if found is None:
            raise NotFound(
                MESSAGES.text("version_file_unknown", version=version.version, process_id=version.process_id, name=name)
            )
        return found.content

    def compare(self, old: ProcessVersion, new: ProcessVersion) -> dict:
        """Steps added, removed and changed; forms and decision rules changed (see version_diff.py)."""
        before = self.package(old.package_id)
        after = self.package(new.package_id)
        return version_diff.compare(self.library.serializer.registry, before, after, old.process_id)

    def running_instances(self, process_id: str, *, other_than: ProcessVersion) -> list[int]:
        """Running instances of `process_id` on versions other than `other_than`."""
        return list(
            self.session.scalars(
                select(Instance.id)
                .join(ProcessVersion, Instance.process_version_id == ProcessVersion.id)
                .where(ProcessVersion.process_id == process_id, ProcessVersion.id != other_than.id)
                .where(Instance.status == "running")
                .order_by(Instance.id)
            )
        )

    def forms(self, rows) -> dict[str, dict]:
        """The forms of open tasks (JSON Schema and UI schema) by task id.

        `rows` are (work item, version id, process id, package id, package content hash), the last four
        as a query widened by `with_item_versions` returns them: the versions come with the caller's own
        query, not in one more.
        """
        found, by_step = {}, {}
        for item, version_id, process_id, package_id, digest in rows:
            key = (version_id, item.step)
            if key not in by_step:
                parsed = self.package(package_id, digest)
                by_step[key] = parsed.form_for(_find_task_spec(parsed.specs[process_id], item.step))
            found[item.id] = by_step[key]
        return found

    def _specs(self, version: ProcessVersion):
        return self.package(version.package_id).specs[version.process_id]


def _runnable(files: dict[str, bytes]) -> dict[str, bytes]:
    """A package's files but its sample data."""
    return {name: content for name, content in files.items() if not name.endswith(".sample.json")}


def _find_task_spec(specs, step):
    spec, subprocess_specs = specs
    for candidate in (spec, *subprocess_specs.values()):
        for task_spec in candidate.task_specs.values():
            # a multi-instance task shares its step id with the wrapper around it, which has no form
            if getattr(task_spec, "bpmn_id", None) == step and hasattr(task_spec, "extensions"):
                return task_spec
    raise NotFound(MESSAGES.text("step_unknown", step=step))


#: The newest version of `process_id`, with its package's content hash (built once).
LATEST_VERSION = (
    select(ProcessVersion, Package.content_hash)
    .join(Package, ProcessVersion.package_id == Package.id)
    .where(ProcessVersion.process_id == bindparam("process_id"))
    .order_by(ProcessVersion.version.desc())
    .limit(1)
)


def with_version(*columns):
    """A query of `columns` over instances, each with its version and its package's content hash."""
    return _joined_to_version(select(*columns, ProcessVersion, Package.content_hash).select_from(Instance))


#: A work item's version, as `with_item_versions` adds it to a query: the version's id, process and package,
#: and the package's content hash. Columns, not the ProcessVersion object: loading an object per row
#: made an inbox of 500 tasks half as slow again (35 -> 55 ms).
VERSION_COLUMNS = (ProcessVersion.id, ProcessVersion.process_id, ProcessVersion.package_id, Package.content_hash)


def with_item_versions(query):
    """`query` over work items, widened by each item's version (`VERSION_COLUMNS`, the last columns of
    each row): what `Deployments.forms` needs to find the items' forms."""
    return _joined_to_version(query.add_columns(*VERSION_COLUMNS).join(Instance, Instance.id == WorkItem.instance_id))


def _joined_to_version(query):
    """`query`, which reads instances, joined to each instance's version and that version's package."""
    return query.join(ProcessVersion, Instance.process_version_id == ProcessVersion.id).join(
        Package, ProcessVersion.package_id == Package.id
    )
