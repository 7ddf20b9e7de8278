"""Finding the handles that HPy code opened and never closed."""
from hpy.universal import _debug

HPyDebugError = _debug.HPyDebugError


class HPyLeakError(HPyDebugError):
    """Handles opened during a LeakDetector scope were still open at its end.

    ``leaks`` is the list of their ``DebugHandle`` objects."""

    def __init__(self, leaks):
        super().__init__()
        self.leaks = leaks

    def __str__(self):
        n = len(self.leaks)
        lines = ["%d unclosed handle%s:" % (n, "" if n == 1 else "s")]
        for dh in self.leaks:
            lines.extend("    " + line for line in repr(dh).splitlines())
        return "\n".join(lines)


class LeakDetector:
    """Raises HPyLeakError from ``stop()`` (or at the end of a ``with``
    block) if handles opened since ``start()`` by modules in debug mode are
    still open."""

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
        if leaks:
            raise HPyLeakError(leaks)

    def __enter__(self):
        self.start()
        return self

    def __exit__(self, etype, evalue, tb):
        # An exception from the block wins: its handles may legitimately be
        # unclosed at this point.
        if etype is None:
            self.stop()
