"""Workflows kept alive in the process that last wrote them, so that its next operation on the same
instance need not read and restore the stored state again.

Restoring a workflow from its stored state was a tenth of the server's CPU per closed-loop appeal, and
reading the state column (a JSON document of tens of kilobytes) more on top. A workflow is kept only once
the transaction that wrote it has committed, under the revision and the last event's hash it was written
with: a revision is committed once, so a kept workflow is exactly the stored state whatever other
processes did meanwhile, and a later write by another process leaves it under a key nobody asks for again
(the oldest go first). The hash tells apart an instance whose row was deleted and whose id came back (on
SQLite a deleted last row's id is reused). An operation takes its workflow out and works on it alone;
only a committed write puts one back, so a failed operation never leaves a half-run workflow behind.

One store per database (the app's runtime makes it): the ids of one database mean nothing in another.
"""

import threading
from collections import OrderedDict

#: How many workflows a process keeps: the open instances a worker touches in a few minutes of work. A
#: workflow of the appeal process near its end takes 125 KB alive (tracemalloc), so this bounds what a worker
#: keeps at 25 MB whatever the number of open appeals.
KEPT = 200


class LiveWorkflows:
    """The live workflows of one process and database, by instance as written, the least recently kept
    first out."""

    def __init__(self, size: int = KEPT):
        self._size = size
        self._kept: OrderedDict[tuple, object] = OrderedDict()
        self._lock = threading.Lock()  # the request threads of one process share it

    def take(self, instance):
        """The workflow of `instance` (its row as stored) removed from the kept ones, or None."""
        with self._lock:
            return self._kept.pop(_key(instance), None)

    def keep(self, instance, workflow) -> None:
        """Keep the workflow of `instance` as its row was committed."""
        with self._lock:
            self._kept[_key(instance)] = workflow
            while len(self._kept) > self._size:
                self._kept.popitem(last=False)


def _key(instance) -> tuple:
    return instance.id, instance.revision, instance.last_hash
