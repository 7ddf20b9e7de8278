"""API coverage: which tests exercise which HPyContext member.

Universal: measured. With --api-coverage, each test's modules run in trace
mode and the call counts of hpy.trace before and after the test tell which
context functions it really called. Handles cannot be counted (they are
fields, not calls): a handle counts for a test whose snippets read it
(`ctx->h_Name`) and that passed.

Calls in child processes: the counters are per process, and a call that
ends its process (HPy_FatalError) can never be read back from it. A test
that runs HPy code in a child in trace mode makes the child call
`print_calls_from_child()`, whose on-enter trace function prints each
context function before it runs (so before an abort), and passes the
child's stdout to `report_child_calls()`; those calls count for the test
like its own.

Hybrid: the members that only the hybrid ABI can call (the Python.h bridge,
see HYBRID_ONLY in api_coverage_table.py) are measured by tests run in the
`hybrid+trace` ABI, a second pytest run over the tests marked `python_h`.

cpython: the same test bodies compile the same C code for the cpython ABI;
a function counts for a test that passed in the cpython ABI and called the
function when its identical C code ran on the runtime in trace mode (in
cpython the calls are inline Python.h code, invisible to any counter)."""
import json
import re

CHILD_PREFIX = "hpy-child-call: "

# Calls reported by the running test's child processes.
CHILD_CALLS = set()


def print_calls_from_child():
    """In a child process whose modules run in trace mode."""
    import hpy.trace
    hpy.trace.set_trace_functions(on_enter=lambda name: print(CHILD_PREFIX + name, flush=True))


def report_child_calls(stdout):
    """In the test: the calls a child printed, in order; they count for the
    running test."""
    called = [line[len(CHILD_PREFIX):] for line in stdout.splitlines() if line.startswith(CHILD_PREFIX)]
    CHILD_CALLS.update(called)
    return called


class CoverageRecorder:
    def __init__(self, path):
        self.path = path
        self.by_test = {}

    def counts(self):
        import hpy.trace
        return dict(hpy.trace.get_call_counts())

    def begin(self):
        """Before a test: what `record` compares with."""
        CHILD_CALLS.clear()
        return self.counts()

    def record(self, nodeid, before, sources):
        after = self.counts()
        called = sorted({k for k, v in after.items() if v > before.get(k, 0)} | CHILD_CALLS)
        handles = sorted(set(re.findall(r"ctx->(h_\w+)", "\n".join(sources))))
        names = sorted(set(re.findall(r"\b_?HPy\w+", "\n".join(sources))))
        self.by_test[nodeid] = {"called": called, "handles": handles, "names": names}

    def write(self):
        with open(self.path, "w") as f:
            json.dump(self.by_test, f, indent=0, sort_keys=True)
