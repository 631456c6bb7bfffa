"""Parsed packages, kept per process (not per request): parsing a package costs far more than running it."""

import threading

from sqlalchemy import select

from .models import Package, PackageFile
from .package import ParsedPackage, load_package
from .serializer import StateSerializer


class PackageLibrary:
    """A cache of parsed packages by content hash, and the serializer that pairs state with their specs.

    Keyed by content, not by row id: a package is immutable, so a cached parse never goes stale, and a
    deployment rolled back cannot leave its parse behind under an id that a later package reuses.
    """

    def __init__(self):
        self.serializer = StateSerializer()
        self._packages: dict[str, ParsedPackage] = {}
        self._lock = threading.Lock()

    def get(self, session, package_id: int, digest: str | None = None) -> ParsedPackage:
        """The package with `package_id`, parsed; `digest` is its content hash when the caller read it
        already (joined into its own query), which saves a round trip."""
        if digest is None:
            digest = session.scalar(select(Package.content_hash).where(Package.id == package_id))
        parsed = self._packages.get(digest)
        if parsed is None:
            files = {
                f.name: f.content
                for f in session.scalars(select(PackageFile).where(PackageFile.package_id == package_id))
            }
            parsed = load_package(files)
            self.put(parsed)
        return parsed

    def put(self, parsed: ParsedPackage) -> None:
        with self._lock:
            self._packages.setdefault(parsed.content_hash, parsed)
