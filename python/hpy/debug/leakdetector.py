"""Finding the handles that HPy code opened and never closed, and the list
and tuple builders and trackers it never finished."""
from hpy.universal import _debug

HPyDebugError = _debug.HPyDebugError


class HPyLeakError(HPyDebugError):
    """Handles opened during a LeakDetector scope were still open at its end,
    or builders / trackers made there were never finished.

    ``leaks`` is the list of the handles' ``DebugHandle`` objects;
    ``unfinished`` lists the builders neither built nor cancelled and the
    trackers never closed, as ``(kind, id, description)`` tuples (see
    ``hpy.universal._debug.get_unfinished``)."""

    def __init__(self, leaks, unfinished=()):
        super().__init__()
        self.leaks = leaks
        self.unfinished = list(unfinished)

    def __str__(self):
        lines = []
        n = len(self.leaks)
        if n:
            lines.append("%d unclosed handle%s:" % (n, "" if n == 1 else "s"))
            for dh in self.leaks:
                lines.extend("    " + line for line in repr(dh).splitlines())
        n = len(self.unfinished)
        if n:
            lines.append("%d unfinished builder%s or tracker%s:" % ((n,) + ("", "") if n == 1 else (n, "s", "s")))
            for _kind, _id, text in self.unfinished:
                lines.extend("    " + line for line in text.splitlines())
        return "\n".join(lines)


class LeakDetector:
    """Raises HPyLeakError from ``stop()`` (or at the end of a ``with``
    block) if handles opened since ``start()`` by modules in debug mode are
    still open, or builders or trackers made since then are unfinished."""

    def __init__(self):
        self.generation = None

    def start(self):
        if self.generation is not None:
            raise ValueError("LeakDetector already started")
        self.generation = _debug.new_generation()

    def stop(self):
        if self.generation is None:
            raise ValueError("LeakDetector not started yet")
        leaks = _debug.get_open_handles(self.generation)
        unfinished = _debug.get_unfinished(self.generation)
        if leaks or unfinished:
            raise HPyLeakError(leaks, unfinished)

    def __enter__(self):
        self.start()
        return self

    def __exit__(self, etype, evalue, tb):
        # An exception from the block wins: its handles may legitimately be
        # unclosed at this point.
        if etype is None:
            self.stop()
