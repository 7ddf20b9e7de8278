"""The Python.h side of HPy: handles to and from `PyObject *` and the C
struct of legacy types. Only the cpython and hybrid ABIs have Python.h, so
every test here is marked python_h (see conftest.py)."""
import sys

import pytest

pytestmark = pytest.mark.python_h


BRIDGE = """
    HPyDef_METH(roundtrip, "roundtrip", HPyFunc_O)
    static HPy roundtrip_impl(HPyContext *ctx, HPy self, HPy arg)
    {
        PyObject *o = HPy_AsPyObject(ctx, arg);     /* a new reference */
        HPy h = HPy_FromPyObject(ctx, o);           /* not stolen */
        Py_DECREF(o);
        return h;
    }
    HPyDef_METH(refcounts, "refcounts", HPyFunc_O)
    static HPy refcounts_impl(HPyContext *ctx, HPy self, HPy arg)
    {
        /* how much each bridge adds to the reference count */
        PyObject *borrowed = HPy_AsPyObject(ctx, arg);
        Py_ssize_t base = Py_REFCNT(borrowed);
        PyObject *o2 = HPy_AsPyObject(ctx, arg);
        Py_ssize_t as_py = Py_REFCNT(borrowed) - base;
        HPy h = HPy_FromPyObject(ctx, borrowed);
        Py_ssize_t from_py = Py_REFCNT(borrowed) - base - as_py;
        HPy_Close(ctx, h);
        Py_ssize_t closed = Py_REFCNT(borrowed) - base - as_py;
        Py_DECREF(o2);
        Py_DECREF(borrowed);
        return HPy_BuildValue(ctx, "nnni", as_py, from_py, closed, o2 == borrowed);
    }
    HPyDef_METH(capi_append, "capi_append", HPyFunc_VARARGS)
    static HPy capi_append_impl(HPyContext *ctx, HPy self, const HPy *args, size_t n)
    {
        /* an HPy object handed to the C API, and a C API object handed to HPy */
        PyObject *lst = HPy_AsPyObject(ctx, args[0]);
        PyObject *item = HPy_AsPyObject(ctx, args[1]);
        int r = PyList_Append(lst, item);
        Py_DECREF(item);
        Py_DECREF(lst);
        if (r < 0)
            return HPy_NULL;
        PyObject *s = PyUnicode_FromFormat("len=%zd", PyList_GET_SIZE(lst));
        if (s == NULL)
            return HPy_NULL;
        HPy h = HPy_FromPyObject(ctx, s);
        Py_DECREF(s);                  /* the handle keeps it alive */
        return h;
    }
    HPyDef_METH(nulls, "nulls", HPyFunc_NOARGS)
    static HPy nulls_impl(HPyContext *ctx, HPy self)
    {
        PyObject *o = HPy_AsPyObject(ctx, HPy_NULL);
        HPy h = HPy_FromPyObject(ctx, NULL);
        return HPyBool_FromBool(ctx, o == NULL && HPy_IsNull(h) && !HPyErr_Occurred(ctx));
    }
    @EXPORT(roundtrip)
    @EXPORT(refcounts)
    @EXPORT(capi_append)
    @EXPORT(nulls)
"""


def test_pyobject_bridge(make_module):
    mod = make_module(BRIDGE)
    for obj in (object(), "text", [1], None, mod, int):
        assert mod.roundtrip(obj) is obj
    assert mod.refcounts(object()) == (1, 1, 0, 1)
    lst = [0]
    r = mod.capi_append(lst, "x")
    assert lst == [0, "x"] and r == "len=2"
    # the caller's reference only: as many as a fresh object held by one
    # local (3.14 counts references from the stack differently)
    fresh = "len=%d" % len(lst)
    assert sys.getrefcount(r) == sys.getrefcount(fresh)
    with pytest.raises(SystemError):
        mod.capi_append((), 1)              # PyList_Append on a tuple
    assert mod.nulls() is True


LEGACY_STRUCT = r"""
    #include <stddef.h>
    #include <structmember.h>
    typedef struct { PyObject_HEAD long x; PyObject *ref; } LegObject;
    HPyType_LEGACY_HELPERS(LegObject)

    static void leg_dealloc(PyObject *self)
    {
        PyTypeObject *tp = Py_TYPE(self);
        Py_CLEAR(((LegObject *)self)->ref);
        tp->tp_free(self);
        Py_DECREF(tp);
    }
    static int leg_traverse(PyObject *self, visitproc visit, void *arg)
    {
        Py_VISIT(((LegObject *)self)->ref);
        return 0;
    }
    static PyMemberDef leg_members[] = {
        { "ref", T_OBJECT, offsetof(LegObject, ref), 0, NULL }, { NULL } };
    static PyType_Slot leg_slots[] = {
        { Py_tp_members, leg_members }, { Py_tp_dealloc, leg_dealloc }, { 0, NULL } };
    static PyType_Slot leg_gc_slots[] = { { Py_tp_traverse, leg_traverse }, { 0, NULL } };

    /* HPy reads and writes the same struct as the legacy slots */
    HPyDef_MEMBER(Leg_x, "x", HPyMember_LONG, offsetof(LegObject, x))
    HPyDef_METH(Leg_bump, "bump", HPyFunc_NOARGS)
    static HPy Leg_bump_impl(HPyContext *ctx, HPy self)
    {
        LegObject *o = LegObject_AsStruct(ctx, self);
        o->x += 1;
        return HPyLong_FromLong(ctx, o->x);
    }
    HPyDef_METH(Leg_set_ref, "set_ref", HPyFunc_O)
    static HPy Leg_set_ref_impl(HPyContext *ctx, HPy self, HPy arg)
    {
        LegObject *o = LegObject_AsStruct(ctx, self);
        Py_XSETREF(o->ref, HPy_AsPyObject(ctx, arg));
        return HPy_Dup(ctx, ctx->h_None);
    }
    HPyDef_METH(Leg_is_object, "struct_is_object", HPyFunc_NOARGS)
    static HPy Leg_is_object_impl(HPyContext *ctx, HPy self)
    {
        /* a legacy struct starts with PyObject_HEAD: it is the object */
        PyObject *o = HPy_AsPyObject(ctx, self);
        int same = (void *)LegObject_AsStruct(ctx, self) == (void *)o;
        Py_DECREF(o);
        return HPyBool_FromBool(ctx, same);
    }
    static HPyDef *Leg_defines[] = { &Leg_x, &Leg_bump, &Leg_set_ref, &Leg_is_object, NULL };
    static HPyType_Spec Leg_spec = {
        .name = "mytest.Leg", .basicsize = sizeof(LegObject),
        .flags = HPy_TPFLAGS_DEFAULT | HPy_TPFLAGS_BASETYPE,
        .builtin_shape = HPyType_BuiltinShape_Legacy,
        .legacy_slots = leg_slots, .defines = Leg_defines,
    };
    /* GC needs an HPy_tp_traverse (HPy 0.9.0): a legacy one is not enough */
    static HPyDef *LegGC_defines[] = { NULL };
    static HPyType_Spec LegGC_spec = {
        .name = "mytest.LegGC", .basicsize = sizeof(LegObject),
        .flags = HPy_TPFLAGS_DEFAULT | HPy_TPFLAGS_HAVE_GC,
        .builtin_shape = HPyType_BuiltinShape_Legacy,
        .legacy_slots = leg_gc_slots, .defines = LegGC_defines,
    };
    HPyDef_METH(make_gc, "make_gc", HPyFunc_NOARGS)
    static HPy make_gc_impl(HPyContext *ctx, HPy self)
    {
        return HPyType_FromSpec(ctx, &LegGC_spec, NULL);
    }
    @EXPORT_TYPE("Leg", Leg_spec)
    @EXPORT(make_gc)
"""


def test_legacy_struct(make_module):
    mod = make_module(LEGACY_STRUCT)
    o = mod.Leg()
    assert o.struct_is_object() is True
    assert o.x == 0 and o.ref is None        # allocated zeroed
    o.x = 41
    assert o.bump() == 42 and o.x == 42
    target = object()
    rc = sys.getrefcount(target)
    o.set_ref(target)
    assert o.ref is target                    # written by HPy, read by a PyMemberDef
    assert sys.getrefcount(target) == rc + 1
    del o
    assert sys.getrefcount(target) == rc      # released by the legacy tp_dealloc

    class Sub(mod.Leg):
        pass
    s = Sub()
    assert s.struct_is_object() is True and s.bump() == 1
    with pytest.raises(ValueError, match="HPy_tp_traverse"):
        mod.make_gc()


def test_legacy_call_needs_a_basicsize(make_module):
    """HPy_tp_call keeps its function in a field after the type's struct; a
    legacy type with basicsize 0 inherits a struct the runtime may not know
    (HPy 0.9.0 refuses it, so hpy-rs does too), one with a size is fine."""
    mod = make_module("""
        HPyDef_SLOT(Dummy_call, HPy_tp_call)
        static HPy Dummy_call_impl(HPyContext *ctx, HPy callable, const HPy *args,
                                   size_t nargs, HPy kwnames)
        {
            return HPyUnicode_FromString(ctx, "called");
        }
        static HPyDef *Dummy_defines[] = { &Dummy_call, NULL };
        static HPyType_Spec Dummy_spec = {
            .name = "mytest.Dummy",
            .builtin_shape = HPyType_BuiltinShape_Legacy,
            .defines = Dummy_defines,
        };
        HPyDef_METH(make, "make", HPyFunc_O)
        static HPy make_impl(HPyContext *ctx, HPy self, HPy size)
        {
            Dummy_spec.basicsize = (int)HPyLong_AsLong(ctx, size);
            return HPyType_FromSpec(ctx, &Dummy_spec, NULL);
        }
        @EXPORT(make)
    """)
    with pytest.raises(TypeError, match="^Cannot use HPy call protocol with legacy types that inherit the struct"):
        mod.make(0)
    Dummy = mod.make(object.__basicsize__ + 8)
    assert Dummy()() == "called"
