"""API coverage: which tests exercise which HPyContext member.

Universal: measured. With --api-coverage, each test's modules run in trace
mode and the call counts of hpy.trace before and after the test tell which
context functions it really called. Handles cannot be counted (they are
fields, not calls): a handle counts for a test whose snippets read it
(`ctx->h_Name`) and that passed. cpython: the same test bodies compile the
same C code for the cpython ABI; a function counts for a test that passed in
the cpython ABI and names the function's public name in its snippets."""
import json
import re


class CoverageRecorder:
    def __init__(self, path):
        self.path = path
        self.by_test = {}

    def counts(self):
        import hpy.trace
        return dict(hpy.trace.get_call_counts())

    def record(self, nodeid, before, after, sources):
        called = sorted(k for k, v in after.items() if v > before.get(k, 0))
        handles = sorted(set(re.findall(r"ctx->(h_\w+)", "\n".join(sources))))
        names = sorted(set(re.findall(r"\b_?HPy\w+", "\n".join(sources))))
        self.by_test[nodeid] = {"called": called, "handles": handles, "names": names}

    def write(self):
        with open(self.path, "w") as f:
            json.dump(self.by_test, f, indent=0, sort_keys=True)
