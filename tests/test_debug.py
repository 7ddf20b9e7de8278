"""Debug mode: every misuse it detects, triggered on purpose in a C snippet,
and its Python API (hpy.debug, hpy.universal._debug).

The snippets are universal binaries loaded in debug mode. Misuse that can
be reported safely raises an hpy.debug.HPyDebugError subclass; the rest
(no GIL, a wrong struct shape, raw data read after close) kills the process
with a report, so those tests run a child interpreter.
"""
import importlib.machinery
import os
import re
import signal
import subprocess
import sys
import textwrap

import pytest

import hpy.universal
from hpy.universal import _debug
import hpy.debug
from hpy.debug import (HPyDebugError, HPyLeakError, LeakDetector, HPyInvalidHandleError,
                       HPyInvalidBuilderError, HPyTrackerError, HPyFieldError, HPyGlobalError,
                       HPyContextError, HPyReturnError)
from support.build import Builder, expand_snippet, load_bootstrap_in_child

TESTS_DIR = os.path.dirname(os.path.abspath(__file__))


@pytest.fixture
def dbuilder(build_root):
    return Builder("debug", build_root)


@pytest.fixture
def make_debug_module(dbuilder):
    return dbuilder.make_module


@pytest.fixture(autouse=True)
def _restore_settings():
    """Each test starts from the default settings of debug mode."""
    yield
    _debug.set_on_invalid_handle(None)
    _debug.set_on_invalid_builder_handle(None)
    _debug.set_handle_stack_trace_limit(None)
    _debug.set_closed_handles_queue_max_size(1024)
    _debug.set_protected_raw_data_max_size(10 * 1024 * 1024)


def run_child(dbuilder, snippet, code, name="child"):
    """Compiles `snippet`, then runs `code` in a child interpreter where
    `mod` is the module loaded in debug mode. Returns (returncode, stderr)."""
    path = dbuilder.compile(name, expand_snippet(name, snippet))
    script = textwrap.dedent("""\
        import importlib.machinery, hpy.universal, hpy.debug
        spec = importlib.machinery.ModuleSpec(%r, None, origin=%r)
        mod = hpy.universal.load(%r, %r, spec, debug=True)
        """ % (name, str(path), name, str(path))) + textwrap.dedent(code)
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [os.path.join(TESTS_DIR), env.get("PYTHONPATH", "")]))
    r = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, timeout=120)
    return r.returncode, r.stderr


# ---- switching modes ----------------------------------------------------------------

SIMPLE = """
    HPyDef_METH(f, "f", HPyFunc_O)
    static HPy f_impl(HPyContext *ctx, HPy self, HPy arg)
    {
        HPy forty = HPyLong_FromLong(ctx, 40);
        HPy r = HPy_Add(ctx, forty, arg);
        HPy_Close(ctx, forty);
        return r;
    }
    HPyDef_METH(ctx_name, "ctx_name", HPyFunc_NOARGS)
    static HPy ctx_name_impl(HPyContext *ctx, HPy self)
    {
        return HPyUnicode_FromString(ctx, ctx->name);
    }
    @EXPORT(f)
    @EXPORT(ctx_name)
"""


def load(path, name, **kw):
    spec = importlib.machinery.ModuleSpec(name, None, origin=str(path))
    return hpy.universal.load(name, str(path), spec, **kw)


@pytest.mark.parametrize("how, mode", [
    ({}, hpy.universal.MODE_UNIVERSAL),
    ({"debug": True}, hpy.universal.MODE_DEBUG),
    ({"mode": hpy.universal.MODE_DEBUG}, hpy.universal.MODE_DEBUG),
    ({"mode": hpy.universal.MODE_TRACE}, hpy.universal.MODE_TRACE),
    ({"debug": True, "mode": hpy.universal.MODE_UNIVERSAL}, hpy.universal.MODE_UNIVERSAL),
])
def test_load_modes(build_root, how, mode):
    b = Builder("universal", build_root)
    name = "simple%d_%d" % (mode, len(how))
    path = b.compile(name, expand_snippet(name, SIMPLE))
    m = load(path, name, **how)
    assert hpy.universal.get_mode(m) == mode
    assert m.f(2) == 42
    assert {0: "Universal", 1: "Debug", 2: "Trace"}[mode] in m.ctx_name()


def test_same_file_in_two_modes(build_root):
    # Each mode gets its own mapping of the file (a private copy for the
    # second mode), so the modules keep their modes.
    path = Builder("universal", build_root).compile("twomodes", expand_snippet("twomodes", SIMPLE))
    u = load(path, "twomodes")
    d = load(path, "twomodes", debug=True)
    u2 = load(path, "twomodes")
    assert "Universal" in u.ctx_name() and "Debug" in d.ctx_name() and "Universal" in u2.ctx_name()
    assert [hpy.universal.get_mode(m) for m in (u, d, u2)] == [0, 1, 0]
    assert u.f(1) == d.f(1) == 41


def test_get_mode_of_other_objects():
    with pytest.raises(TypeError):
        hpy.universal.get_mode(sys)
    with pytest.raises(TypeError):
        hpy.universal.get_mode(42)


@pytest.mark.parametrize("env, mode", [
    ("debug", hpy.universal.MODE_DEBUG),
    ("trace", hpy.universal.MODE_TRACE),
    ("universal", hpy.universal.MODE_UNIVERSAL),
    ("other:trace,envmod_X:debug", hpy.universal.MODE_DEBUG),
    ("debug,envmod_X:universal", hpy.universal.MODE_UNIVERSAL),
])
def test_hpy_env_var_through_bootstrap(build_root, env, mode):
    b = Builder("universal", build_root)
    name = "envmod_%d_%d" % (mode, len(env))
    path = str(b.compile(name, expand_snippet(name, SIMPLE)))
    env = env.replace("envmod_X", name)
    spec = importlib.machinery.ModuleSpec("pkg." + name, None, origin=path)
    m = hpy.universal._load_bootstrap(name, "pkg." + name, "pkg", path, None, spec, {"HPY": env})
    assert hpy.universal.get_mode(m) == mode
    assert m.f(1) == 41


def test_hpy_log_names_debug_mode(build_root):
    b = Builder("universal", build_root)
    path = b.compile("logmod", expand_snippet("logmod", SIMPLE))
    out = load_bootstrap_in_child("logmod", path, {"HPY_LOG": "1", "HPY": "debug"}, "u.get_mode(m), m.f(2)")
    assert "Loading 'logmod' in HPy universal mode with a debug context\n" in out
    assert out.strip().endswith("1 42")


# ---- leaks --------------------------------------------------------------------------------

LEAKY = """
    HPyDef_METH(leak, "leak", HPyFunc_O)
    static HPy leak_impl(HPyContext *ctx, HPy self, HPy arg)
    {
        HPy_Dup(ctx, arg);              /* never closed */
        HPyLong_FromLong(ctx, 1234);    /* never closed */
        return HPy_Dup(ctx, ctx->h_None);
    }
    HPyDef_METH(clean, "clean", HPyFunc_O)
    static HPy clean_impl(HPyContext *ctx, HPy self, HPy arg)
    {
        HPy h = HPy_Dup(ctx, arg);
        HPy_Close(ctx, h);
        return HPy_Dup(ctx, ctx->h_None);
    }
    @EXPORT(leak)
    @EXPORT(clean)
"""


def test_leak_detector_reports_leaked_handles(make_debug_module):
    mod = make_debug_module(LEAKY)
    with LeakDetector():
        mod.clean("x")
    with pytest.raises(HPyLeakError) as e:
        with LeakDetector():
            mod.leak("a string")
    leaks = e.value.leaks
    assert [h.obj for h in leaks] == ["a string", 1234]
    assert [h.opened_by for h in leaks] == ["HPy_Dup", "HPyLong_FromInt64_t"]
    text = str(e.value)
    assert text.startswith("2 unclosed handles:")
    assert "opened by HPyLong_FromInt64_t in leak_impl" in text
    assert "a 'int': 1234" in text and "a 'str': 'a string'" in text
    assert "set_handle_stack_trace_limit" in text   # how to get backtraces
    for h in leaks:
        h._force_close()
    assert _debug.get_open_handles(0) == [] or all(h.is_closed for h in leaks)


def test_leak_detector_api(make_debug_module):
    ld = LeakDetector()
    with pytest.raises(ValueError):
        ld.stop()
    ld.start()
    with pytest.raises(ValueError):
        ld.start()
    ld.stop()


def test_leak_with_backtrace(make_debug_module):
    mod = make_debug_module(LEAKY)
    hpy.debug.set_handle_stack_trace_limit(8)
    with pytest.raises(HPyLeakError) as e:
        with LeakDetector():
            mod.leak(1)
    for h in e.value.leaks:
        h._force_close()
    text = str(e.value)
    assert "Allocation stacktrace:" in text
    assert "leak_impl" in text and ".c:" in text
    # each frame names its binary (HPy 0.9.0's tools and docs look for it)
    assert ".hpy0.so\n" in text.split("Allocation stacktrace:")[1]


UNFINISHED = """
    HPyDef_METH(tuple_builder, "tuple_builder", HPyFunc_O)
    static HPy tuple_builder_impl(HPyContext *ctx, HPy self, HPy arg)
    {
        HPyTupleBuilder b = HPyTupleBuilder_New(ctx, 3);
        HPyTupleBuilder_Set(ctx, b, 0, arg);
        return HPy_Dup(ctx, ctx->h_None);   /* neither built nor cancelled */
    }
    HPyDef_METH(list_builder, "list_builder", HPyFunc_O)
    static HPy list_builder_impl(HPyContext *ctx, HPy self, HPy arg)
    {
        HPyListBuilder b = HPyListBuilder_New(ctx, 2);
        HPyListBuilder_Set(ctx, b, 0, arg);
        return HPy_Dup(ctx, ctx->h_None);   /* neither built nor cancelled */
    }
    HPyDef_METH(tracker, "tracker", HPyFunc_NOARGS)
    static HPy tracker_impl(HPyContext *ctx, HPy self)
    {
        HPyTracker ht = HPyTracker_New(ctx, 1);
        HPyTracker_Add(ctx, ht, HPyLong_FromLong(ctx, 4321));
        return HPy_Dup(ctx, ctx->h_None);   /* never closed */
    }
    HPyDef_METH(finished, "finished", HPyFunc_O)
    static HPy finished_impl(HPyContext *ctx, HPy self, HPy arg)
    {
        HPyTupleBuilder tb = HPyTupleBuilder_New(ctx, 1);
        HPyTupleBuilder_Set(ctx, tb, 0, arg);
        HPy t = HPyTupleBuilder_Build(ctx, tb);
        HPyListBuilder lb = HPyListBuilder_New(ctx, 1);
        HPyListBuilder_Set(ctx, lb, 0, t);
        HPyListBuilder_Cancel(ctx, lb);
        HPyTracker ht = HPyTracker_New(ctx, 1);
        HPyTracker_Add(ctx, ht, t);
        HPyTracker_Close(ctx, ht);
        return HPy_Dup(ctx, ctx->h_None);
    }
    @EXPORT(tuple_builder)
    @EXPORT(list_builder)
    @EXPORT(tracker)
    @EXPORT(finished)
"""


@pytest.fixture
def unfinished(make_debug_module):
    return make_debug_module(UNFINISHED, name="unfinished")


@pytest.mark.parametrize("func, kind, new", [
    ("tuple_builder", "HPyTupleBuilder", "HPyTupleBuilder_New(ctx, 3)"),
    ("list_builder", "HPyListBuilder", "HPyListBuilder_New(ctx, 2)"),
])
def test_unfinished_builder_is_a_leak(unfinished, func, kind, new):
    with pytest.raises(HPyLeakError) as e:
        with LeakDetector():
            getattr(unfinished, func)("item")
    assert e.value.leaks == []
    [(k, ident, text)] = e.value.unfinished
    assert k == kind and isinstance(ident, int)
    msg = str(e.value)
    assert msg.startswith("1 unfinished builder or tracker:\n    <%s 0x" % kind)
    assert "> never built nor cancelled (its items stay referenced)\n    made by %s in %s_impl at " % (new, func) in text
    assert "set_handle_stack_trace_limit" in msg


def test_unclosed_tracker_is_a_leak(unfinished):
    with pytest.raises(HPyLeakError) as e:
        with LeakDetector():
            unfinished.tracker()
    # The tracker and the handle it still holds.
    assert [h.obj for h in e.value.leaks] == [4321]
    [(kind, _, text)] = e.value.unfinished
    assert kind == "HPyTracker"
    assert text.startswith("<HPyTracker 0x")
    assert "> never closed (1 handle tracked)\n    made by HPyTracker_New(ctx, 1) in tracker_impl at " in text
    msg = str(e.value)
    assert msg.startswith("1 unclosed handle:") and "1 unfinished builder or tracker:" in msg
    for h in e.value.leaks:
        h._force_close()


def test_finished_builders_and_trackers_are_not_leaks(unfinished):
    with LeakDetector():
        unfinished.finished("x")


def test_unfinished_with_backtrace_and_get_unfinished(unfinished):
    gen = _debug.new_generation()
    assert _debug.get_unfinished(gen) == []
    hpy.debug.set_handle_stack_trace_limit(8)
    unfinished.list_builder(1)
    [(kind, _, text)] = _debug.get_unfinished(gen)
    assert kind == "HPyListBuilder"
    assert "made at:" in text and "list_builder_impl" in text and ".c:" in text
    assert _debug.get_unfinished(_debug.new_generation()) == []


def test_pytest_plugin_fixture():
    import hpy.debug.pytest as plugin
    assert callable(plugin.hpy_debug)


# ---- handles ------------------------------------------------------------------------------

HANDLES = """
    HPyDef_METH(use_after_close, "use_after_close", HPyFunc_NOARGS)
    static HPy use_after_close_impl(HPyContext *ctx, HPy self)
    {
        HPy h = HPyLong_FromLong(ctx, 42);
        HPy_Close(ctx, h);
        return HPy_Repr(ctx, h);
    }
    HPyDef_METH(double_close, "double_close", HPyFunc_NOARGS)
    static HPy double_close_impl(HPyContext *ctx, HPy self)
    {
        HPy h = HPyUnicode_FromString(ctx, "twice");
        HPy_Close(ctx, h);
        HPy_Close(ctx, h);
        return HPy_Dup(ctx, ctx->h_None);
    }
    HPyDef_METH(close_garbage, "close_garbage", HPyFunc_O)
    static HPy close_garbage_impl(HPyContext *ctx, HPy self, HPy arg)
    {
        HPy h = { (HPy_ssize_t)HPyLong_AsSsize_t(ctx, arg) };
        HPy_Close(ctx, h);
        return HPy_Dup(ctx, ctx->h_None);
    }
    HPyDef_METH(close_arg, "close_arg", HPyFunc_O)
    static HPy close_arg_impl(HPyContext *ctx, HPy self, HPy arg)
    {
        HPy_Close(ctx, arg);
        return HPy_Dup(ctx, ctx->h_None);
    }
    HPyDef_METH(close_const, "close_const", HPyFunc_NOARGS)
    static HPy close_const_impl(HPyContext *ctx, HPy self)
    {
        HPy_Close(ctx, ctx->h_None);
        return HPy_Dup(ctx, ctx->h_None);
    }
    HPyDef_METH(return_arg, "return_arg", HPyFunc_O)
    static HPy return_arg_impl(HPyContext *ctx, HPy self, HPy arg)
    {
        return arg;
    }
    HPyDef_METH(return_const, "return_const", HPyFunc_NOARGS)
    static HPy return_const_impl(HPyContext *ctx, HPy self)
    {
        return ctx->h_True;
    }
    HPyDef_METH(return_closed, "return_closed", HPyFunc_NOARGS)
    static HPy return_closed_impl(HPyContext *ctx, HPy self)
    {
        HPy h = HPyLong_FromLong(ctx, 7);
        HPy_Close(ctx, h);
        return h;
    }
    static HPy kept;
    HPyDef_METH(keep_arg, "keep_arg", HPyFunc_O)
    static HPy keep_arg_impl(HPyContext *ctx, HPy self, HPy arg)
    {
        kept = arg;
        return HPy_Dup(ctx, ctx->h_None);
    }
    HPyDef_METH(use_kept, "use_kept", HPyFunc_NOARGS)
    static HPy use_kept_impl(HPyContext *ctx, HPy self)
    {
        return HPy_Dup(ctx, kept);
    }
    HPyDef_METH(close_many, "close_many", HPyFunc_O)
    static HPy close_many_impl(HPyContext *ctx, HPy self, HPy arg)
    {
        long n = HPyLong_AsLong(ctx, arg);
        HPy first = HPyLong_FromLong(ctx, -1);
        HPy_Close(ctx, first);
        for (long i = 0; i < n; i++)
            HPy_Close(ctx, HPyLong_FromLong(ctx, i));
        return HPy_Repr(ctx, first);
    }
    @EXPORT(use_after_close)
    @EXPORT(double_close)
    @EXPORT(close_garbage)
    @EXPORT(close_arg)
    @EXPORT(close_const)
    @EXPORT(return_arg)
    @EXPORT(return_const)
    @EXPORT(return_closed)
    @EXPORT(keep_arg)
    @EXPORT(use_kept)
    @EXPORT(close_many)
"""


@pytest.fixture
def handles(make_debug_module):
    return make_debug_module(HANDLES, name="handles")


def test_use_of_closed_handle(handles):
    with pytest.raises(HPyInvalidHandleError) as e:
        handles.use_after_close()
    msg = str(e.value)
    assert msg.startswith("HPy debug mode: HPy_Repr: argument 'obj' is a closed handle")
    assert "in the HPy function use_after_close_impl" in msg
    assert "opened by HPyLong_FromInt64_t in use_after_close_impl" in msg
    assert "closed by HPy_Close in use_after_close_impl" in msg
    assert "object (when closed): a 'int'" in msg


def test_double_close(handles):
    with pytest.raises(HPyInvalidHandleError, match=r"HPy_Close: 'h' is a handle that is already closed \(closed twice\)") as e:
        handles.double_close()
    assert "object (when closed): a 'str'" in str(e.value)
    assert "opened by HPyUnicode_FromString" in str(e.value)


def test_close_never_opened_handle(handles):
    with pytest.raises(HPyInvalidHandleError, match="never opened by debug mode"):
        handles.close_garbage(0x4321)          # odd: looks like a debug handle
    with pytest.raises(HPyInvalidHandleError, match="not a debug handle"):
        handles.close_garbage(0x7f0000001000)  # even: looks like an object address


def test_close_argument(handles):
    obj = object()
    refcnt = sys.getrefcount(obj)
    with pytest.raises(HPyInvalidHandleError, match="'h' is an argument of the HPy function: it belongs to the caller"):
        handles.close_arg(obj)
    assert sys.getrefcount(obj) == refcnt, "nothing was released"


def test_close_context_constant(handles):
    with pytest.raises(HPyInvalidHandleError, match=r"'h' is a constant of the context: it must never be closed") as e:
        handles.close_const()
    assert "the context constant ctx->h_None" in str(e.value)


def test_return_argument_without_dup(handles):
    with pytest.raises(HPyInvalidHandleError, match="returned a handle it received as an argument") as e:
        handles.return_arg("x")
    assert "return_arg_impl" in str(e.value)


def test_return_constant_without_dup(handles):
    with pytest.raises(HPyInvalidHandleError, match="returned a constant of the context"):
        handles.return_const()


def test_return_closed_handle(handles):
    with pytest.raises(HPyInvalidHandleError, match="returned a handle that is closed"):
        handles.return_closed()


def test_argument_used_after_its_call(handles):
    handles.keep_arg("kept")
    with pytest.raises(HPyInvalidHandleError) as e:
        handles.use_kept()
    msg = str(e.value)
    assert "HPy_Dup: argument 'h' is a closed handle" in msg
    assert "argument 1 (self is 0) of keep_arg_impl" in msg
    assert "closed by the runtime when that call returned" in msg


def test_handle_closed_long_ago(handles):
    _debug.set_closed_handles_queue_max_size(4)
    with pytest.raises(HPyInvalidHandleError, match="closed long ago"):
        handles.close_many(10)
    assert len(_debug.get_closed_handles()) <= 4


def test_callback_on_invalid_handle(handles):
    calls = []
    _debug.set_on_invalid_handle(lambda: calls.append(1))
    hpy.debug.disable_handle_stack_traces()
    assert handles.double_close() is None    # the program goes on
    assert calls == [1]
    assert "closed twice" in hpy.debug.get_last_report()
    assert handles.use_after_close() == "42"   # the int is cached, still alive
    assert calls == [1, 1]
    _debug.set_on_invalid_handle(None)
    with pytest.raises(HPyInvalidHandleError):
        handles.double_close()
    with pytest.raises(TypeError):
        _debug.set_on_invalid_handle(42)


def test_backtraces_in_reports(handles):
    hpy.debug.set_handle_stack_trace_limit(10)
    assert _debug.get_handle_stack_trace_limit() == 10
    with pytest.raises(HPyInvalidHandleError) as e:
        handles.double_close()
    msg = str(e.value)
    assert "Allocation stacktrace:" in msg and "Closing stacktrace:" in msg
    assert "double_close_impl" in msg.split("Allocation stacktrace:")[1]
    assert re.search(r"handles[.\w]*\.c:\d+", msg)
    hpy.debug.disable_handle_stack_traces()
    assert _debug.get_handle_stack_trace_limit() is None


def test_open_and_closed_handles_api(make_debug_module):
    mod = make_debug_module(LEAKY)
    _debug.set_closed_handles_queue_max_size(1024)
    gen = _debug.new_generation()
    assert _debug.new_generation() == gen + 1
    mod.leak("z")
    opened = _debug.get_open_handles(gen)
    assert [h.obj for h in opened] == ["z", 1234]
    h = opened[0]
    assert not h.is_closed and h.raw_data_size == -1
    assert isinstance(h.id, int) and h.id & 1 == 1
    assert h == _debug.get_open_handles(gen)[0] and hash(h) == hash(_debug.get_open_handles(gen)[0])
    assert "<DebugHandle 0x%x for 'z'>" % h.id in repr(h)
    for x in opened:
        x._force_close()
    assert h.is_closed and h.obj is None
    assert "CLOSED" in repr(h)
    assert _debug.get_open_handles(gen) == []
    closed = _debug.get_closed_handles(gen)
    assert opened[0] in closed and opened[1] in closed
    _debug.set_closed_handles_queue_max_size(1024)
    assert _debug.get_closed_handles_queue_max_size() == 1024
    _debug.set_closed_handles_queue_max_size(1)
    assert _debug.get_queue_max_size() == 1 and len(_debug.get_closed_handles()) <= 1
    _debug.set_protected_raw_data_max_size(10 * 1024 * 1024)
    assert _debug.get_protected_raw_data_max_size() == 10 * 1024 * 1024
    _debug.set_protected_raw_data_max_size(100)
    assert _debug.get_protected_raw_data_max_size() == 100
    with pytest.raises(ValueError):
        _debug.set_closed_handles_queue_max_size(-1)


# ---- builders, trackers -----------------------------------------------------------------------

BUILDERS = """
    HPyDef_METH(list_after_build, "list_after_build", HPyFunc_NOARGS)
    static HPy list_after_build_impl(HPyContext *ctx, HPy self)
    {
        HPyListBuilder b = HPyListBuilder_New(ctx, 1);
        HPyListBuilder_Set(ctx, b, 0, ctx->h_None);
        HPy l = HPyListBuilder_Build(ctx, b);
        HPy_Close(ctx, l);
        HPyListBuilder_Set(ctx, b, 0, ctx->h_None);
        return HPy_Dup(ctx, ctx->h_None);
    }
    HPyDef_METH(list_null_item, "list_null_item", HPyFunc_NOARGS)
    static HPy list_null_item_impl(HPyContext *ctx, HPy self)
    {
        HPyListBuilder b = HPyListBuilder_New(ctx, 1);
        HPyListBuilder_Set(ctx, b, 0, HPy_NULL);
        if (HPyErr_Occurred(ctx)) {
            HPyListBuilder_Cancel(ctx, b);
            return HPy_NULL;
        }
        return HPyListBuilder_Build(ctx, b);
    }
    HPyDef_METH(tuple_after_cancel, "tuple_after_cancel", HPyFunc_NOARGS)
    static HPy tuple_after_cancel_impl(HPyContext *ctx, HPy self)
    {
        HPyTupleBuilder b = HPyTupleBuilder_New(ctx, 1);
        HPyTupleBuilder_Cancel(ctx, b);
        return HPyTupleBuilder_Build(ctx, b);
    }
    HPyDef_METH(double_build, "double_build", HPyFunc_NOARGS)
    static HPy double_build_impl(HPyContext *ctx, HPy self)
    {
        HPyTupleBuilder b = HPyTupleBuilder_New(ctx, 0);
        HPy t = HPyTupleBuilder_Build(ctx, b);
        HPy_Close(ctx, t);
        return HPyTupleBuilder_Build(ctx, b);
    }
    HPyDef_METH(tracker_after_close, "tracker_after_close", HPyFunc_NOARGS)
    static HPy tracker_after_close_impl(HPyContext *ctx, HPy self)
    {
        HPyTracker ht = HPyTracker_New(ctx, 0);
        HPyTracker_Close(ctx, ht);
        if (HPyTracker_Add(ctx, ht, ctx->h_None) < 0)
            return HPy_NULL;
        return HPy_Dup(ctx, ctx->h_None);
    }
    HPyDef_METH(tracker_double_close, "tracker_double_close", HPyFunc_NOARGS)
    static HPy tracker_double_close_impl(HPyContext *ctx, HPy self)
    {
        HPyTracker ht = HPyTracker_New(ctx, 0);
        HPy h = HPyLong_FromLong(ctx, 5);
        HPyTracker_Add(ctx, ht, h);
        HPy_Close(ctx, h);          /* closed here ... */
        HPyTracker_Close(ctx, ht);  /* ... and by the tracker */
        return HPy_Dup(ctx, ctx->h_None);
    }
    HPyDef_METH(tracker_add_arg, "tracker_add_arg", HPyFunc_O)
    static HPy tracker_add_arg_impl(HPyContext *ctx, HPy self, HPy arg)
    {
        HPyTracker ht = HPyTracker_New(ctx, 0);
        int r = HPyTracker_Add(ctx, ht, arg);
        HPyTracker_Close(ctx, ht);   /* wrong: closes the caller's handle */
        if (r < 0 || HPyErr_Occurred(ctx))
            return HPy_NULL;
        return HPy_Dup(ctx, ctx->h_None);
    }
    HPyDef_METH(tracker_add_arg_forget, "tracker_add_arg_forget", HPyFunc_O)
    static HPy tracker_add_arg_forget_impl(HPyContext *ctx, HPy self, HPy arg)
    {
        HPyTracker ht = HPyTracker_New(ctx, 0);
        if (HPyTracker_Add(ctx, ht, arg) < 0 || HPyTracker_Add(ctx, ht, ctx->h_None) < 0)
            return HPy_NULL;
        HPyTracker_ForgetAll(ctx, ht);   /* nothing left to close */
        HPyTracker_Close(ctx, ht);
        if (HPyErr_Occurred(ctx))
            return HPy_NULL;
        return HPy_Dup(ctx, ctx->h_None);
    }
    HPyDef_METH(tracker_ok, "tracker_ok", HPyFunc_NOARGS)
    static HPy tracker_ok_impl(HPyContext *ctx, HPy self)
    {
        HPyTracker ht = HPyTracker_New(ctx, 2);
        for (int i = 0; i < 20; i++)
            HPyTracker_Add(ctx, ht, HPyLong_FromLong(ctx, i));
        HPyTracker_Close(ctx, ht);
        return HPy_Dup(ctx, ctx->h_None);
    }
    @EXPORT(list_after_build)
    @EXPORT(list_null_item)
    @EXPORT(tuple_after_cancel)
    @EXPORT(double_build)
    @EXPORT(tracker_after_close)
    @EXPORT(tracker_double_close)
    @EXPORT(tracker_add_arg)
    @EXPORT(tracker_add_arg_forget)
    @EXPORT(tracker_ok)
"""


@pytest.fixture
def builders(make_debug_module):
    return make_debug_module(BUILDERS, name="builders")


def test_builder_used_after_build(builders):
    with pytest.raises(HPyInvalidBuilderError, match="HPyListBuilder_Set: the builder was already consumed by HPyListBuilder_Build in list_after_build_impl"):
        builders.list_after_build()


def test_builder_given_a_null_item(builders):
    # universal mode would store NULL in the list, for Python code to crash on
    with pytest.raises(HPyInvalidHandleError, match="HPyListBuilder_Set: h_item is HPy_NULL"):
        builders.list_null_item()


def test_builder_used_after_cancel(builders):
    with pytest.raises(HPyInvalidBuilderError, match="HPyTupleBuilder_Build: the builder was already consumed by HPyTupleBuilder_Cancel"):
        builders.tuple_after_cancel()


def test_builder_built_twice(builders):
    with pytest.raises(HPyInvalidBuilderError, match="HPyTupleBuilder_Build: the builder was already consumed by HPyTupleBuilder_Build"):
        builders.double_build()


def test_callback_on_invalid_builder(builders):
    calls = []
    _debug.set_on_invalid_builder_handle(lambda: calls.append(1))
    try:
        assert builders.list_after_build() is None
    finally:
        _debug.set_on_invalid_builder_handle(None)
    assert calls == [1]


def test_tracker_used_after_close(builders):
    with pytest.raises(HPyTrackerError, match="HPyTracker_Add: the tracker was already closed by HPyTracker_Close in tracker_after_close_impl"):
        builders.tracker_after_close()


def test_handle_closed_by_hand_and_by_tracker(builders):
    with pytest.raises(HPyInvalidHandleError, match="HPyTracker_Close: 'tracked handle #0' is a handle that is already closed") as e:
        builders.tracker_double_close()
    assert "closed by HPy_Close in tracker_double_close_impl" in str(e.value)


def test_tracker_closing_an_argument(builders):
    # Adding it is fine (it could be forgotten); closing it is the misuse.
    with pytest.raises(HPyInvalidHandleError, match="HPyTracker_Close: 'tracked handle #0' is an argument of the HPy function"):
        builders.tracker_add_arg("x")


def test_tracker_given_an_argument_and_a_constant_then_forget_all(builders):
    with LeakDetector():
        assert builders.tracker_add_arg_forget("x") is None


def test_tracker_ok(builders):
    with LeakDetector():
        builders.tracker_ok()


# ---- fields and globals --------------------------------------------------------------------------

STORAGE = """
    typedef struct { HPyField f; } BoxObject;
    HPyType_HELPERS(BoxObject)

    static HPyField outside;

    HPyDef_SLOT(Box_traverse, HPy_tp_traverse)
    static int Box_traverse_impl(void *self, HPyFunc_visitproc visit, void *arg)
    {
        HPy_VISIT(&((BoxObject *)self)->f);
        return 0;
    }
    HPyDef_METH(Box_store_outside, "store_outside", HPyFunc_O)
    static HPy Box_store_outside_impl(HPyContext *ctx, HPy self, HPy arg)
    {
        HPyField_Store(ctx, self, &outside, arg);
        if (HPyErr_Occurred(ctx))
            return HPy_NULL;
        return HPy_Dup(ctx, ctx->h_None);
    }
    HPyDef_METH(Box_store_closed_target, "store_closed_target", HPyFunc_O)
    static HPy Box_store_closed_target_impl(HPyContext *ctx, HPy self, HPy arg)
    {
        HPy me = HPy_Dup(ctx, self);
        BoxObject *b = BoxObject_AsStruct(ctx, me);
        HPy_Close(ctx, me);
        HPyField_Store(ctx, me, &b->f, arg);
        return HPy_Dup(ctx, ctx->h_None);
    }
    HPyDef_METH(Box_store_handle_bits, "store_handle_bits", HPyFunc_O)
    static HPy Box_store_handle_bits_impl(HPyContext *ctx, HPy self, HPy arg)
    {
        BoxObject *b = BoxObject_AsStruct(ctx, self);
        b->f._i = arg._i;   /* wrong: a handle is not a field */
        HPy r = HPyField_Load(ctx, self, b->f);
        b->f._i = 0;
        return r;
    }
    HPyDef_METH(Box_roundtrip, "roundtrip", HPyFunc_O)
    static HPy Box_roundtrip_impl(HPyContext *ctx, HPy self, HPy arg)
    {
        BoxObject *b = BoxObject_AsStruct(ctx, self);
        HPyField_Store(ctx, self, &b->f, arg);
        return HPyField_Load(ctx, self, b->f);
    }
    static HPyDef *Box_defines[] = { &Box_traverse, &Box_store_outside, &Box_store_closed_target,
                                     &Box_store_handle_bits, &Box_roundtrip, NULL };
    static HPyType_Spec Box_spec = { .name = "storage.Box", .basicsize = sizeof(BoxObject),
                                     .flags = HPy_TPFLAGS_DEFAULT | HPy_TPFLAGS_HAVE_GC,
                                     .defines = Box_defines };

    HPyGlobal listed;
    HPyGlobal unlisted;

    HPyDef_METH(store_unlisted, "store_unlisted", HPyFunc_O)
    static HPy store_unlisted_impl(HPyContext *ctx, HPy self, HPy arg)
    {
        HPyGlobal_Store(ctx, &unlisted, arg);
        if (HPyErr_Occurred(ctx))
            return HPy_NULL;
        return HPy_Dup(ctx, ctx->h_None);
    }
    HPyDef_METH(load_listed, "load_listed", HPyFunc_NOARGS)
    static HPy load_listed_impl(HPyContext *ctx, HPy self)
    {
        return HPyGlobal_Load(ctx, listed);
    }
    HPyDef_METH(store_listed, "store_listed", HPyFunc_O)
    static HPy store_listed_impl(HPyContext *ctx, HPy self, HPy arg)
    {
        HPyGlobal_Store(ctx, &listed, HPy_Is(ctx, arg, ctx->h_None) ? HPy_NULL : arg);
        return HPy_Dup(ctx, ctx->h_None);
    }
    @EXPORT_TYPE("Box", Box_spec)
    @EXPORT(store_unlisted)
    @EXPORT(load_listed)
    @EXPORT(store_listed)
    @EXPORT_GLOBAL(listed)
"""


@pytest.fixture
def storage(make_debug_module):
    return make_debug_module(STORAGE, name="storage")


def test_field_roundtrip(storage):
    b = storage.Box()
    with LeakDetector():
        assert b.roundtrip("value") == "value"


def test_field_stored_outside_its_object(storage):
    with pytest.raises(HPyFieldError, match="HPyField_Store: the field at 0x[0-9a-f]+ is not inside 'target_object', a 'storage.Box'"):
        storage.Box().store_outside(1)


def test_field_stored_into_closed_object_handle(storage):
    with pytest.raises(HPyInvalidHandleError, match="HPyField_Store: argument 'target_object' is a closed handle"):
        storage.Box().store_closed_target(1)


def test_field_holding_a_handle(storage):
    with pytest.raises(HPyFieldError, match="HPyField_Load: the field holds 0x[0-9a-f]+, which HPyField_Store did not put there"):
        storage.Box().store_handle_bits("x")


def test_global_not_listed_in_the_module(storage):
    with pytest.raises(HPyGlobalError, match="HPyGlobal_Store: the HPyGlobal at 0x[0-9a-f]+ is not listed in the HPyModuleDef.globals"):
        storage.store_unlisted(1)


def test_global_loaded_before_store(storage):
    storage.store_listed(None)   # empty again (the test may be repeated)
    with pytest.raises(HPyGlobalError, match="HPyGlobal_Load: the global is empty"):
        storage.load_listed()
    storage.store_listed("g")
    assert storage.load_listed() == "g"


# ---- contexts and threads -------------------------------------------------------------------------

CONTEXTS = """
    #include <pthread.h>
    static HPyContext *saved;
    HPyDef_METH(save_ctx, "save_ctx", HPyFunc_NOARGS)
    static HPy save_ctx_impl(HPyContext *ctx, HPy self)
    {
        saved = ctx;
        return HPy_Dup(ctx, ctx->h_None);
    }
    HPyDef_METH(use_saved_ctx, "use_saved_ctx", HPyFunc_NOARGS)
    static HPy use_saved_ctx_impl(HPyContext *ctx, HPy self)
    {
        return HPyLong_FromLong(saved, 1);
    }
    HPyDef_METH(call_back, "call_back", HPyFunc_O)
    static HPy call_back_impl(HPyContext *ctx, HPy self, HPy f)
    {
        return HPy_CallTupleDict(ctx, f, HPy_NULL, HPy_NULL);
    }
    HPyDef_METH(without_gil, "without_gil", HPyFunc_NOARGS)
    static HPy without_gil_impl(HPyContext *ctx, HPy self)
    {
        HPyThreadState ts = HPy_LeavePythonExecution(ctx);
        HPy h = HPyLong_FromLong(ctx, 1);   /* no GIL: invalid */
        HPy_ReenterPythonExecution(ctx, ts);
        return h;
    }
    HPyDef_METH(gil_ok, "gil_ok", HPyFunc_NOARGS)
    static HPy gil_ok_impl(HPyContext *ctx, HPy self)
    {
        HPyThreadState ts = HPy_LeavePythonExecution(ctx);
        HPy_ReenterPythonExecution(ctx, ts);
        return HPyLong_FromLong(ctx, 2);
    }
    HPyDef_METH(reenter_twice, "reenter_twice", HPyFunc_NOARGS)
    static HPy reenter_twice_impl(HPyContext *ctx, HPy self)
    {
        HPyThreadState ts = HPy_LeavePythonExecution(ctx);
        HPy_ReenterPythonExecution(ctx, ts);
        HPy_ReenterPythonExecution(ctx, ts);
        return HPy_Dup(ctx, ctx->h_None);
    }
    static void *thread_main(void *arg)
    {
        HPy_Close((HPyContext *)arg, HPyLong_FromLong((HPyContext *)arg, 3));
        return NULL;
    }
    HPyDef_METH(other_thread, "other_thread", HPyFunc_NOARGS)
    static HPy other_thread_impl(HPyContext *ctx, HPy self)
    {
        pthread_t t;
        pthread_create(&t, NULL, thread_main, ctx);
        pthread_join(t, NULL);
        return HPy_Dup(ctx, ctx->h_None);
    }
    @EXPORT(save_ctx)
    @EXPORT(use_saved_ctx)
    @EXPORT(call_back)
    @EXPORT(without_gil)
    @EXPORT(gil_ok)
    @EXPORT(reenter_twice)
    @EXPORT(other_thread)
"""


def test_context_captured_and_reused(make_debug_module):
    mod = make_debug_module(CONTEXTS, name="contexts")
    mod.save_ctx()
    with pytest.raises(HPyContextError, match="HPyLong_FromInt64_t: Error: Wrong HPy Context! called with a context captured in an earlier HPy call") as e:
        mod.use_saved_ctx()
    assert "use_saved_ctx_impl" in str(e.value)


def test_outer_context_used_in_nested_call(make_debug_module):
    mod = make_debug_module(CONTEXTS, name="contexts")
    mod.save_ctx()
    # use_saved_ctx runs inside call_back: a nested call with its own context
    with pytest.raises(HPyContextError, match="captured in an earlier HPy call"):
        mod.call_back(mod.use_saved_ctx)
    assert mod.gil_ok() == 2


def test_reenter_without_leave(make_debug_module):
    mod = make_debug_module(CONTEXTS, name="contexts")
    with pytest.raises(HPyContextError, match="HPy_ReenterPythonExecution: called without a matching HPy_LeavePythonExecution"):
        mod.reenter_twice()


def test_api_call_without_gil_aborts(dbuilder):
    rc, err = run_child(dbuilder, CONTEXTS, "mod.without_gil()", name="contexts")
    assert rc == -signal.SIGABRT
    assert "HPyLong_FromInt64_t: Error: Wrong HPy Context! called after HPy_LeavePythonExecution and before HPy_ReenterPythonExecution" in err
    assert "without_gil_impl" in err
    assert "backtrace of the misuse" in err


def test_context_used_from_another_thread_aborts(dbuilder):
    rc, err = run_child(dbuilder, CONTEXTS, "mod.other_thread()", name="contexts")
    assert rc == -signal.SIGABRT
    assert "Error: Wrong HPy Context! called with context" in err
    assert "from a thread that does not hold the GIL" in err
    assert "thread_main" in err


# ---- results ------------------------------------------------------------------------------------------

RESULTS = """
    HPyDef_METH(null_no_error, "null_no_error", HPyFunc_NOARGS)
    static HPy null_no_error_impl(HPyContext *ctx, HPy self)
    {
        return HPy_NULL;
    }
    HPyDef_METH(value_with_error, "value_with_error", HPyFunc_NOARGS)
    static HPy value_with_error_impl(HPyContext *ctx, HPy self)
    {
        HPyErr_SetString(ctx, ctx->h_ValueError, "pending");
        return HPyLong_FromLong(ctx, 5);
    }
    typedef struct { long x; } ThingObject;
    HPyType_HELPERS(ThingObject)
    HPyDef_GETSET(Thing_x, "x")
    static HPy Thing_x_get(HPyContext *ctx, HPy self, void *closure)
    {
        return HPyLong_FromLong(ctx, ThingObject_AsStruct(ctx, self)->x);
    }
    static int Thing_x_set(HPyContext *ctx, HPy self, HPy value, void *closure)
    {
        return -1;   /* error without an exception */
    }
    HPyDef_SLOT(Thing_len, HPy_sq_length)
    static HPy_ssize_t Thing_len_impl(HPyContext *ctx, HPy self)
    {
        HPyErr_SetString(ctx, ctx->h_TypeError, "pending");
        return 3;   /* a value with an exception */
    }
    HPyDef_SLOT(Thing_hash, HPy_tp_hash)
    static HPy_hash_t Thing_hash_impl(HPyContext *ctx, HPy self)
    {
        if (ThingObject_AsStruct(ctx, self)->x == 0)
            return -1;   /* a hash, not an error: there is no exception */
        HPyErr_SetString(ctx, ctx->h_TypeError, "pending");
        return 7;   /* a value with an exception */
    }
    HPyDef_METH(Thing_set_x, "set_x", HPyFunc_O)
    static HPy Thing_set_x_impl(HPyContext *ctx, HPy self, HPy arg)
    {
        ThingObject_AsStruct(ctx, self)->x = HPyLong_AsLong(ctx, arg);
        return HPy_Dup(ctx, ctx->h_None);
    }
    HPyDef_METH(Thing_as_long, "as_long", HPyFunc_NOARGS)
    static HPy Thing_as_long_impl(HPyContext *ctx, HPy self)
    {
        void *p = _HPy_AsStruct_Long(ctx, self);   /* wrong shape */
        return HPyLong_FromLong(ctx, p != NULL);
    }
    static HPyDef *Thing_defines[] = { &Thing_x, &Thing_len, &Thing_hash, &Thing_set_x, &Thing_as_long, NULL };
    static HPyType_Spec Thing_spec = { .name = "results.Thing", .basicsize = sizeof(ThingObject),
                                       .defines = Thing_defines };
    @EXPORT(null_no_error)
    @EXPORT(value_with_error)
    @EXPORT_TYPE("Thing", Thing_spec)
"""


def test_null_without_exception(make_debug_module):
    mod = make_debug_module(RESULTS, name="results")
    with pytest.raises(HPyReturnError, match="null_no_error_impl .* returned HPy_NULL without setting an exception"):
        mod.null_no_error()


def test_value_with_exception_set(make_debug_module):
    mod = make_debug_module(RESULTS, name="results")
    with pytest.raises(HPyReturnError, match="returned a value while an exception is set") as e:
        mod.value_with_error()
    assert "a 'int': 5" in str(e.value)
    assert isinstance(e.value.__context__, ValueError)
    assert isinstance(e.value, SystemError), "what CPython raises for the same mistake"


def test_int_results_of_slots(make_debug_module):
    mod = make_debug_module(RESULTS, name="results")
    t = mod.Thing()
    with pytest.raises(HPyReturnError, match=r"Thing_x_set .* returned -1 \(an error\) without setting an exception"):
        t.x = 1
    with pytest.raises(HPyReturnError, match=r"returned 3 \(a success\) while an exception is set") as e:
        len(t)
    assert isinstance(e.value.__context__, TypeError)


def test_hash_of_minus_one_is_a_result(make_debug_module):
    # The slot wrapper returns it; only a value with an exception is wrong.
    mod = make_debug_module(RESULTS, name="results")
    t = mod.Thing()
    assert t.__hash__() == -1
    t.set_x(1)
    with pytest.raises(HPyReturnError, match=r"Thing_hash_impl .* returned 7 \(a hash\) while an exception is set") as e:
        t.__hash__()
    assert isinstance(e.value.__context__, TypeError)


def test_as_struct_with_wrong_shape_aborts(dbuilder):
    rc, err = run_child(dbuilder, RESULTS, "mod.Thing().as_long()", name="results")
    assert rc == -signal.SIGABRT
    assert "Invalid usage of _HPy_AsStruct_Long: the object is a 'results.Thing', whose type has the shape HPyType_BuiltinShape_Object, not HPyType_BuiltinShape_Long" in err


# ---- raw data ------------------------------------------------------------------------------------------

RAW = """
    #include <string.h>
    static const char *late;
    HPyDef_METH(utf8, "utf8", HPyFunc_O)
    static HPy utf8_impl(HPyContext *ctx, HPy self, HPy arg)
    {
        HPy_ssize_t n;
        HPy s = HPy_Str(ctx, arg);
        const char *p = HPyUnicode_AsUTF8AndSize(ctx, s, &n);
        HPy r = HPyBytes_FromStringAndSize(ctx, p, n);
        HPy_Close(ctx, s);
        return r;
    }
    HPyDef_METH(keep_utf8, "keep_utf8", HPyFunc_O)
    static HPy keep_utf8_impl(HPyContext *ctx, HPy self, HPy arg)
    {
        HPy s = HPy_Str(ctx, arg);
        late = HPyUnicode_AsUTF8AndSize(ctx, s, NULL);
        HPy_Close(ctx, s);
        return HPy_Dup(ctx, ctx->h_None);
    }
    HPyDef_METH(read_late, "read_late", HPyFunc_NOARGS)
    static HPy read_late_impl(HPyContext *ctx, HPy self)
    {
        return HPyLong_FromLong(ctx, (long)strlen(late));
    }
    HPyDef_METH(write_bytes, "write_bytes", HPyFunc_O)
    static HPy write_bytes_impl(HPyContext *ctx, HPy self, HPy arg)
    {
        char *p = (char *)HPyBytes_AsString(ctx, arg);
        p[0] = 'X';   /* the data is const */
        return HPy_Dup(ctx, ctx->h_None);
    }
    HPyDef_METH(raw_size, "raw_size", HPyFunc_O)
    static HPy raw_size_impl(HPyContext *ctx, HPy self, HPy arg)
    {
        HPy b = HPy_Bytes(ctx, arg);
        HPyBytes_AsString(ctx, b);
        return b;   /* its raw data is still attached */
    }
    @EXPORT(utf8)
    @EXPORT(keep_utf8)
    @EXPORT(read_late)
    @EXPORT(write_bytes)
    @EXPORT(raw_size)
"""


def test_raw_data_while_open(make_debug_module):
    mod = make_debug_module(RAW, name="raw")
    with LeakDetector():
        assert mod.utf8("héllo") == "héllo".encode()
        assert mod.utf8(12345) == b"12345"


def test_raw_data_read_after_close_faults_with_report(dbuilder):
    rc, err = run_child(dbuilder, RAW, "mod.keep_utf8('some text'); mod.read_late()", name="raw")
    assert rc == -signal.SIGSEGV
    assert "the memory returned by HPyUnicode_AsUTF8AndSize was accessed after its handle was closed" in err
    assert "closed by HPy_Close in keep_utf8_impl" in err
    assert "read_late_impl" in err   # the backtrace of the access


def test_raw_data_is_read_only(dbuilder):
    rc, err = run_child(dbuilder, RAW, "mod.write_bytes(b'abc')", name="raw")
    assert rc == -signal.SIGSEGV
    assert "the memory returned by HPyBytes_AsString is read-only" in err
    assert "write_bytes_impl" in err


def test_raw_data_size_of_handles(make_debug_module):
    mod = make_debug_module(RAW, name="raw")
    gen = _debug.new_generation()
    mod.raw_size(b"12345")
    closed = [h for h in _debug.get_closed_handles(gen) if h.raw_data_size != -1]
    assert [h.raw_data_size for h in closed] == [6]   # the bytes and their NUL


# ---- hybrid modules -------------------------------------------------------------------------------------

HYBRID = """
    HPyDef_METH(roundtrip, "roundtrip", HPyFunc_O)
    static HPy roundtrip_impl(HPyContext *ctx, HPy self, HPy arg)
    {
        PyObject *o = HPy_AsPyObject(ctx, arg);    /* a new reference */
        HPy h = HPy_FromPyObject(ctx, o);
        Py_DECREF(o);
        return h;
    }
    HPyDef_METH(leak_from_pyobject, "leak_from_pyobject", HPyFunc_O)
    static HPy leak_from_pyobject_impl(HPyContext *ctx, HPy self, HPy arg)
    {
        PyObject *o = HPy_AsPyObject(ctx, arg);
        HPy_FromPyObject(ctx, o);                  /* never closed */
        Py_DECREF(o);
        return HPy_Dup(ctx, ctx->h_None);
    }
    HPyDef_METH(close_twice, "close_twice", HPyFunc_O)
    static HPy close_twice_impl(HPyContext *ctx, HPy self, HPy arg)
    {
        HPy h = HPy_FromPyObject(ctx, Py_None);
        HPy_Close(ctx, h);
        HPy_Close(ctx, h);
        return HPy_Dup(ctx, ctx->h_None);
    }
    @EXPORT(roundtrip)
    @EXPORT(leak_from_pyobject)
    @EXPORT(close_twice)
"""


def test_hybrid_module_in_debug_mode(build_root):
    mod = Builder("hybrid+debug", build_root).make_module(HYBRID, name="hybriddbg")
    assert hpy.universal.get_mode(mod) == hpy.universal.MODE_DEBUG
    with LeakDetector():
        assert mod.roundtrip("abc") == "abc"
    with pytest.raises(HPyLeakError) as e:
        with LeakDetector():
            mod.leak_from_pyobject(12345)
    assert "opened by HPy_FromPyObject in leak_from_pyobject_impl" in str(e.value)
    for h in e.value.leaks:
        h._force_close()
    with pytest.raises(HPyInvalidHandleError, match="closed twice"):
        mod.close_twice(None)
