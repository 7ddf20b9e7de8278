"""Trace mode: call counts, durations and the on-enter / on-exit functions
(hpy.trace, hpy.universal._trace)."""
import importlib.machinery

import pytest

import hpy.trace
import hpy.universal
from support.build import Builder, expand_snippet

SNIPPET = """
    HPyDef_METH(f, "f", HPyFunc_O)
    static HPy f_impl(HPyContext *ctx, HPy self, HPy arg)
    {
        HPy forty = HPyLong_FromLong(ctx, 40);     /* ctx_Long_FromInt64_t */
        HPy r = HPy_Add(ctx, forty, arg);          /* ctx_Add */
        HPy_Close(ctx, forty);                     /* ctx_Close */
        if (HPyErr_Occurred(ctx))                  /* ctx_Err_Occurred */
            return HPy_NULL;
        return r;
    }
    HPyDef_METH(g, "g", HPyFunc_VARARGS)
    static HPy g_impl(HPyContext *ctx, HPy self, const HPy *args, size_t nargs)
    {
        HPyTupleBuilder b = HPyTupleBuilder_New(ctx, (HPy_ssize_t)nargs);
        for (size_t i = 0; i < nargs; i++)
            HPyTupleBuilder_Set(ctx, b, (HPy_ssize_t)i, args[i]);
        return HPyTupleBuilder_Build(ctx, b);
    }
    @EXPORT(f)
    @EXPORT(g)
"""


def load(build_root, name, mode):
    path = Builder("universal", build_root).compile(name, expand_snippet(name, SNIPPET))
    spec = importlib.machinery.ModuleSpec(name, None, origin=str(path))
    return hpy.universal.load(name, str(path), spec, mode=mode)


@pytest.fixture
def traced(build_root):
    return load(build_root, "traced", hpy.universal.MODE_TRACE)


def delta(before, after):
    return {k: after[k] - before[k] for k in after if after[k] != before[k]}


def test_call_counts_are_exact(traced):
    assert hpy.universal.get_mode(traced) == hpy.universal.MODE_TRACE
    before = hpy.trace.get_call_counts()
    assert traced.f(2) == 42
    after = hpy.trace.get_call_counts()
    assert delta(before, after) == {
        "ctx_Long_FromInt64_t": 1,
        "ctx_Add": 1,
        "ctx_Close": 1,
        "ctx_Err_Occurred": 1,
    }
    before = after
    assert traced.g(1, 2, 3) == (1, 2, 3)
    assert delta(before, hpy.trace.get_call_counts()) == {
        "ctx_TupleBuilder_New": 1,
        "ctx_TupleBuilder_Set": 3,
        "ctx_TupleBuilder_Build": 1,
    }


def test_all_functions_are_listed(traced):
    counts = hpy.trace.get_call_counts()
    durations = hpy.trace.get_durations()
    assert len(counts) == 180 and counts.keys() == durations.keys()
    assert "ctx_Dup" in counts and "h_None" not in counts
    assert all(isinstance(v, int) and v >= 0 for v in counts.values())


def test_durations(traced):
    before = hpy.trace.get_durations()
    for _ in range(100):
        traced.f(1)
    after = hpy.trace.get_durations()
    assert all(after[k] >= before[k] for k in after)
    assert after["ctx_Add"] > before["ctx_Add"]
    assert hpy.trace.get_frequency() == 10**9


def test_universal_modules_are_not_counted(build_root):
    plain = load(build_root, "untraced", hpy.universal.MODE_UNIVERSAL)
    before = hpy.trace.get_call_counts()
    assert plain.f(1) == 41
    assert hpy.trace.get_call_counts() == before


def test_trace_functions(traced):
    events = []
    hpy.trace.set_trace_functions(on_enter=lambda name: events.append(("enter", name)),
                                  on_exit=lambda name: events.append(("exit", name)))
    try:
        traced.f(2)
    finally:
        hpy.trace.set_trace_functions(on_enter=None, on_exit=None)
    assert events == [
        ("enter", "ctx_Long_FromInt64_t"), ("exit", "ctx_Long_FromInt64_t"),
        ("enter", "ctx_Add"), ("exit", "ctx_Add"),
        ("enter", "ctx_Close"), ("exit", "ctx_Close"),
        ("enter", "ctx_Err_Occurred"), ("exit", "ctx_Err_Occurred"),
    ]
    events.clear()
    traced.f(2)
    assert events == []


def test_trace_functions_arguments(traced):
    entered = []
    hpy.trace.set_trace_functions(entered.append)
    try:
        hpy.trace.set_trace_functions(on_exit=None)   # on_enter is kept
        traced.f(0)
        assert "ctx_Add" in entered
    finally:
        hpy.trace.set_trace_functions(None, None)
    with pytest.raises(TypeError):
        hpy.trace.set_trace_functions(on_enter=42)
    with pytest.raises(TypeError):
        hpy.trace.set_trace_functions(on_enter=None, bogus=None)


@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_failing_trace_function_does_not_break_the_call(traced):
    def boom(name):
        raise RuntimeError("in trace function")
    hpy.trace.set_trace_functions(on_exit=boom)
    try:
        assert traced.f(2) == 42
    finally:
        hpy.trace.set_trace_functions(on_exit=None)


def test_trace_mode_through_env(build_root):
    name = "envtraced"
    path = str(Builder("universal", build_root).compile(name, expand_snippet(name, SNIPPET)))
    spec = importlib.machinery.ModuleSpec(name, None, origin=path)
    m = hpy.universal._load_bootstrap(name, name, None, path, None, spec, {"HPY": name + ":trace"})
    assert hpy.universal.get_mode(m) == hpy.universal.MODE_TRACE
    before = hpy.trace.get_call_counts()["ctx_Add"]
    m.f(1)
    assert hpy.trace.get_call_counts()["ctx_Add"] == before + 1
