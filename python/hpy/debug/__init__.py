"""HPy debug mode, from Python.

A universal (or hybrid) module loaded in debug mode -- ``HPY=debug`` in the
environment, ``HPY=mymod:debug`` for one module, or
``hpy.universal.load(..., debug=True)`` -- runs with a context that checks
every use of handles, builders, trackers, fields, globals and contexts.
A misuse raises a subclass of :class:`HPyDebugError` where that is safe
(else the process aborts with a report on stderr); leaked handles, and list
or tuple builders and trackers left unfinished, are found by
:class:`LeakDetector`.

The API is HPy 0.9.0's, plus the exception subclasses below and
:func:`get_last_report`.
"""
from hpy.universal import _debug

from .leakdetector import HPyDebugError, HPyLeakError, LeakDetector

HPyInvalidHandleError = _debug.HPyInvalidHandleError
HPyInvalidBuilderError = _debug.HPyInvalidBuilderError
HPyTrackerError = _debug.HPyTrackerError
HPyFieldError = _debug.HPyFieldError
HPyGlobalError = _debug.HPyGlobalError
HPyContextError = _debug.HPyContextError
HPyReturnError = _debug.HPyReturnError

__all__ = [
    "HPyDebugError", "HPyLeakError", "LeakDetector",
    "HPyInvalidHandleError", "HPyInvalidBuilderError", "HPyTrackerError",
    "HPyFieldError", "HPyGlobalError", "HPyContextError", "HPyReturnError",
    "set_handle_stack_trace_limit", "disable_handle_stack_traces", "get_last_report",
]


def set_handle_stack_trace_limit(limit):
    """Record up to ``limit`` frames of the C stack where each handle is
    opened and closed, shown in reports and leak lists (``None`` disables)."""
    _debug.set_handle_stack_trace_limit(limit)


def disable_handle_stack_traces():
    """Stop recording where handles are opened and closed (the default)."""
    _debug.set_handle_stack_trace_limit(None)


def get_last_report():
    """The text of the last misuse report, or ``None``."""
    return _debug.get_last_report()
