"""Parsed packages, kept per process (not per request): parsing a package costs far more than running it."""

import threading

from sqlalchemy import select

from .models import PackageFile
from .package import ParsedPackage, load_package
from .serializer import StateSerializer


class PackageLibrary:
    """A cache of deployed packages by id, and the serializer that pairs state with their specs.

    Packages are immutable once deployed, so a cached parse never goes stale.
    """

    def __init__(self):
        self.serializer = StateSerializer()
        self._packages: dict[int, ParsedPackage] = {}
        self._lock = threading.Lock()

    def get(self, session, package_id: int) -> ParsedPackage:
        parsed = self._packages.get(package_id)
        if parsed is None:
            files = {
                f.name: f.content
                for f in session.scalars(select(PackageFile).where(PackageFile.package_id == package_id))
            }
            parsed = load_package(files)
            self.put(package_id, parsed)
        return parsed

    def put(self, package_id: int, parsed: ParsedPackage) -> None:
        with self._lock:
            self._packages.setdefault(package_id, parsed)
