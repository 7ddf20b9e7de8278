"""Legacy (Python.h) parts belong to hybrid modules only.

HPy 0.9.0 keeps them out of universal binaries at compile time (the
cpy_* types are opaque, HPy_AsPyObject is an #error) and its runtime loads
whatever a binary holds. hpy-rs also refuses, at load time, the legacy
parts of a binary whose file name says it is pure universal
(`name.hpy0.so`); hybrid binaries (`name.hpy0-cpXY.so`) keep them. The
universal snippets below build the legacy structures by hand, as a binary
that bypassed the headers would.
"""
import shutil

import pytest

import hpy.universal
from support.build import Builder, load_module

# A PyMethodDef and a PyType_Slot laid out by hand: Python.h is out of reach.
FAKE_LEGACY = """
    #include <hpy.h>
    struct fake_PyMethodDef { const char *name; void *meth; int flags; const char *doc; };
    struct fake_PyType_Slot { int slot; void *pfunc; };
    static _HPy_UNUSED void *never_called(void *self, void *unused) { return (void *)0; }
    static _HPy_UNUSED struct fake_PyMethodDef legacy_methods[] = {
        {"legacy_f", (void *)never_called, 0x0004 /* METH_NOARGS */, "legacy"},
        {0, 0, 0, 0},
    };
    static _HPy_UNUSED struct fake_PyType_Slot no_slots[] = { {0, 0} };
    /* the size of PyObject_HEAD on 64-bit CPython without Py_TRACE_REFS */
    typedef struct { void *head[2]; long x; } LegacyObject;
"""


def module_source(name, body, legacy_methods=False):
    return FAKE_LEGACY + body + """
    static HPyModuleDef moddef = {
        .doc = "legacy parts in a universal build",
        .legacy_methods = %s,
        .defines = defines,
    };
    HPy_MODINIT(%s, moddef)
    """ % ("(cpy_PyMethodDef *)legacy_methods" if legacy_methods else "NULL", name)


NO_DEFINES = "static HPyDef *defines[] = { NULL };\n"

TYPE_IN_EXEC = """
    static HPyType_Spec spec = {
        .name = "%(name)s.Legacy",
        .basicsize = sizeof(LegacyObject),
        .builtin_shape = HPyType_BuiltinShape_Legacy,
        %(slots)s
    };
    HPyDef_SLOT(exec, HPy_mod_exec)
    static int exec_impl(HPyContext *ctx, HPy m)
    {
        return HPyHelpers_AddType(ctx, m, "Legacy", &spec, NULL) ? 0 : -1;
    }
    static HPyDef *defines[] = { &exec, NULL };
"""

LEGACY_CALLS = """
    HPyDef_METH(as_py, "as_py", HPyFunc_O)
    static HPy as_py_impl(HPyContext *ctx, HPy self, HPy arg)
    {
        /* what HPy_AsPyObject would call, had the header allowed it */
        if (ctx->ctx_AsPyObject(ctx, arg) != NULL)
            return HPyLong_FromLong(ctx, 1);
        return HPy_NULL;
    }
    HPyDef_METH(from_py, "from_py", HPyFunc_NOARGS)
    static HPy from_py_impl(HPyContext *ctx, HPy self)
    {
        return ctx->ctx_FromPyObject(ctx, (cpy_PyObject *)0);
    }
    HPyDef_METH(pure_type, "pure_type", HPyFunc_NOARGS)
    static HPy pure_type_impl(HPyContext *ctx, HPy self)
    {
        /* a spec on the heap cannot be traced to the binary: after loading
           it is allowed (nothing tells whose it is) */
        HPyType_Spec *s = (HPyType_Spec *)calloc(1, sizeof(HPyType_Spec));
        s->name = "legacycalls.Late";
        s->basicsize = sizeof(LegacyObject);
        s->builtin_shape = HPyType_BuiltinShape_Legacy;
        HPy t = HPyType_FromSpec(ctx, s, NULL);
        return t;
    }
    HPyDef_METH(static_type, "static_type", HPyFunc_NOARGS)
    static HPyType_Spec late_spec = {
        .name = "legacycalls.Late2",
        .basicsize = sizeof(LegacyObject),
        .builtin_shape = HPyType_BuiltinShape_Legacy,
    };
    static HPy static_type_impl(HPyContext *ctx, HPy self)
    {
        return HPyType_FromSpec(ctx, &late_spec, NULL);
    }
    static HPyDef *defines[] = { &as_py, &from_py, &pure_type, &static_type, NULL };
"""


@pytest.fixture
def ubuilder(build_root):
    return Builder("universal", build_root)


@pytest.fixture(params=["universal", "debug", "trace"])
def mode(request):
    return request.param


def test_legacy_methods_refused(ubuilder, mode):
    path = ubuilder.compile("legacymeths", module_source("legacymeths", NO_DEFINES, legacy_methods=True))
    with pytest.raises(hpy.universal.HPyLoadError) as e:
        load_module("legacymeths", path, mode)
    msg = str(e.value)
    assert "'legacymeths'" in msg and "legacy_methods" in msg and "--hpy-abi=hybrid" in msg
    assert isinstance(e.value, ImportError) and isinstance(e.value, RuntimeError)


@pytest.mark.parametrize("slots, part", [
    ("", "HPyType_BuiltinShape_Legacy"),
    (".legacy_slots = no_slots,", ".legacy_slots"),
])
def test_legacy_type_refused(ubuilder, mode, slots, part):
    name = "legacytype%d" % len(slots)
    path = ubuilder.compile(name, module_source(name, TYPE_IN_EXEC % {"name": name, "slots": slots}))
    with pytest.raises(TypeError) as e:
        load_module(name, path, mode)
    msg = str(e.value)
    assert "'%s.Legacy'" % name in msg and "'%s'" % name in msg
    assert part in msg and "--hpy-abi=hybrid" in msg


def test_legacy_calls_refused_after_loading(ubuilder):
    path = ubuilder.compile("legacycalls", module_source("legacycalls", LEGACY_CALLS))
    mod = load_module("legacycalls", path, "universal")
    with pytest.raises(SystemError, match="HPy_AsPyObject: 'legacycalls' is a pure universal.*--hpy-abi=hybrid"):
        mod.as_py(42)
    with pytest.raises(SystemError, match="HPy_FromPyObject: 'legacycalls'.*--hpy-abi=hybrid"):
        mod.from_py()
    # a spec in the module's binary is traced to it at any time
    with pytest.raises(TypeError, match="'legacycalls.Late2' of the pure universal HPy module 'legacycalls'"):
        mod.static_type()
    assert mod.pure_type().__name__ == "Late"


def test_unknown_file_name_is_not_judged(ubuilder, tmp_path):
    """Only hpy.devel's names say what a binary is: a hand-named file (with
    the ABI tag, which the loader requires) keeps HPy 0.9.0's behaviour."""
    path = ubuilder.compile("handnamed", module_source("handnamed", NO_DEFINES, legacy_methods=True))
    copy = tmp_path / "handnamed.hpy0.local.so"
    shutil.copy(path, copy)
    mod = load_module("handnamed", copy, "universal")
    assert mod.legacy_f.__doc__ == "legacy"


def test_hybrid_keeps_its_legacy_parts(build_root):
    hybrid = Builder("hybrid", build_root)
    path = hybrid.compile("hybridlegacy", """
        #include <hpy.h>
        static PyObject *legacy_f(PyObject *self, PyObject *unused) { return PyLong_FromLong(5); }
        static PyMethodDef legacy_methods[] = { {"legacy_f", legacy_f, METH_NOARGS, NULL}, {NULL} };
        typedef struct { PyObject_HEAD long x; } LegacyObject;
        static PyType_Slot slots[] = { {0, NULL} };
        static HPyType_Spec spec = {
            .name = "hybridlegacy.Legacy",
            .basicsize = sizeof(LegacyObject),
            .builtin_shape = HPyType_BuiltinShape_Legacy,
            .legacy_slots = slots,
        };
        HPyDef_SLOT(exec, HPy_mod_exec)
        static int exec_impl(HPyContext *ctx, HPy m)
        {
            return HPyHelpers_AddType(ctx, m, "Legacy", &spec, NULL) ? 0 : -1;
        }
        HPyDef_METH(roundtrip, "roundtrip", HPyFunc_O)
        static HPy roundtrip_impl(HPyContext *ctx, HPy self, HPy arg)
        {
            PyObject *o = HPy_AsPyObject(ctx, arg);
            HPy h = HPy_FromPyObject(ctx, o);
            Py_DECREF(o);
            return h;
        }
        static HPyDef *defines[] = { &exec, &roundtrip, NULL };
        static HPyModuleDef moddef = { .legacy_methods = legacy_methods, .defines = defines };
        HPy_MODINIT(hybridlegacy, moddef)
    """)
    assert ".hpy0-cp" in path.name
    for mode in ("universal", "debug"):
        mod = load_module("hybridlegacy", path, "hybrid+" + mode if mode != "universal" else "hybrid")
        assert mod.legacy_f() == 5
        assert isinstance(mod.Legacy(), mod.Legacy)
        x = object()
        assert mod.roundtrip(x) is x
