"""Content-addressed storage of attachments' bytes on local disk: a file is named by its SHA-256, so the
same bytes are stored once, a stored file never changes, and its name proves its content.

Layout: `<root>/ab/cd/abcd...` (two levels of 256 folders keep directories small). A file is written
under a temporary name and renamed into place, so a reader never sees half of one. Nothing here knows
appeals or who may read what (appeals/services/attachments.py does).
"""

import hashlib
import os
import tempfile
from pathlib import Path


class FileStore:
    def __init__(self, root: str | os.PathLike):
        self.root = Path(root)

    def put(self, data: bytes) -> str:
        """Store `data` (once: bytes already stored are not written again); returns their SHA-256."""
        digest = hashlib.sha256(data).hexdigest()
        path = self.path(digest)
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".incoming-")
            try:
                with os.fdopen(handle, "wb") as file:
                    file.write(data)
                os.replace(temporary, path)
            except BaseException:
                os.unlink(temporary)
                raise
        return digest

    def get(self, digest: str) -> bytes:
        return self.path(digest).read_bytes()

    def delete(self, digest: str) -> None:
        """Remove a stored file (when nothing refers to it any more); one already gone is no error."""
        self.path(digest).unlink(missing_ok=True)

    def path(self, digest: str) -> Path:
        if len(digest) != 64 or not all(c in "0123456789abcdef" for c in digest):
            raise ValueError("not a SHA-256 hex digest")
        return self.root / digest[:2] / digest[2:4] / digest
