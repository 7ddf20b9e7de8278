"""HPy trace mode, from Python.

A universal (or hybrid) module loaded in trace mode -- ``HPY=trace``,
``HPY=mymod:trace`` or ``hpy.universal.load(..., mode=hpy.universal.MODE_TRACE)``
-- counts the calls of every HPy context function and the time spent in
each. The numbers are process-wide, over all modules in trace mode; the
keys are the context member names (``"ctx_Add"``), as in HPy 0.9.0.
"""
import hpy.universal

get_call_counts = hpy.universal._trace.get_call_counts
get_durations = hpy.universal._trace.get_durations
set_trace_functions = hpy.universal._trace.set_trace_functions
get_frequency = hpy.universal._trace.get_frequency

__all__ = ["get_call_counts", "get_durations", "set_trace_functions", "get_frequency"]
