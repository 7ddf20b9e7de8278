"""Types: HPyType_FromSpec and everything an HPyType_Spec can hold, in
every ABI (the cpython ABI's ctx_type.c and the Rust runtime's typespec.rs)."""
import gc
import sys
import weakref

import pytest

from support import upstream_bugs

# `destroyed`, for the HPy_tp_destroy slots of a snippet to count in, and
# the module function get_destroyed() that reads it.
DESTROYED = """
    static long destroyed = 0;
    HPyDef_METH(get_destroyed, "get_destroyed", HPyFunc_NOARGS)
    static HPy get_destroyed_impl(HPyContext *ctx, HPy self)
    {
        return HPyLong_FromLong(ctx, destroyed);
    }
    @EXPORT(get_destroyed)
"""

POINT = DESTROYED + r"""
    #include <stdio.h>
    #include <stddef.h>
    #include <string.h>

    typedef struct {
        long x;
        long y;
        HPyField obj;
        double d;
    } PointObject;
    HPyType_HELPERS(PointObject)

    HPyDef_SLOT(Point_new, HPy_tp_new)
    static HPy Point_new_impl(HPyContext *ctx, HPy cls, const HPy *args, HPy_ssize_t nargs, HPy kw)
    {
        long x = 0, y = 0;
        if (nargs > 0) x = HPyLong_AsLong(ctx, args[0]);
        if (nargs > 1) y = HPyLong_AsLong(ctx, args[1]);
        if (HPyErr_Occurred(ctx)) return HPy_NULL;
        PointObject *p;
        HPy h = HPy_New(ctx, cls, &p);
        if (HPy_IsNull(h)) return HPy_NULL;
        if (p->x != 0 || p->y != 0 || !HPyField_IsNull(p->obj) || p->d != 0.0) {
            HPyErr_SetString(ctx, ctx->h_SystemError, "HPy_New did not zero the struct");
            HPy_Close(ctx, h);
            return HPy_NULL;
        }
        p->x = x;
        p->y = y;
        return h;
    }

    HPyDef_SLOT(Point_repr, HPy_tp_repr)
    static HPy Point_repr_impl(HPyContext *ctx, HPy self)
    {
        PointObject *p = PointObject_AsStruct(ctx, self);
        char buf[100];
        snprintf(buf, sizeof buf, "Point(%ld, %ld)", p->x, p->y);
        return HPyUnicode_FromString(ctx, buf);
    }

    HPyDef_SLOT(Point_add, HPy_nb_add)
    static HPy Point_add_impl(HPyContext *ctx, HPy a, HPy b)
    {
        HPy cls = HPy_Type(ctx, a);
        if (!HPy_TypeCheck(ctx, b, cls)) {
            HPy_Close(ctx, cls);
            return HPy_Dup(ctx, ctx->h_NotImplemented);
        }
        PointObject *pa = PointObject_AsStruct(ctx, a), *pb = PointObject_AsStruct(ctx, b), *r;
        HPy h = HPy_New(ctx, cls, &r);
        HPy_Close(ctx, cls);
        if (HPy_IsNull(h)) return HPy_NULL;
        r->x = pa->x + pb->x;
        r->y = pa->y + pb->y;
        return h;
    }

    HPyDef_SLOT(Point_traverse, HPy_tp_traverse)
    static int Point_traverse_impl(void *object, HPyFunc_visitproc visit, void *arg)
    {
        PointObject *p = (PointObject *)object;
        HPy_VISIT(&p->obj);
        return 0;
    }

    HPyDef_SLOT(Point_destroy, HPy_tp_destroy)
    static void Point_destroy_impl(void *obj)
    {
        PointObject *p = (PointObject *)obj;
        destroyed += p->x;
    }

    HPyDef_MEMBER(Point_x, "x", HPyMember_LONG, offsetof(PointObject, x))
    HPyDef_MEMBER(Point_y, "y", HPyMember_LONG, offsetof(PointObject, y), .readonly = 1, .doc = "the y")
    HPyDef_MEMBER(Point_obj, "obj", HPyMember_OBJECT, offsetof(PointObject, obj))
    HPyDef_MEMBER(Point_d, "d", HPyMember_DOUBLE, offsetof(PointObject, d))

    HPyDef_GETSET(Point_z, "z", .closure = (void *)1000, .doc = "x + y + 1000")
    static HPy Point_z_get(HPyContext *ctx, HPy self, void *closure)
    {
        PointObject *p = PointObject_AsStruct(ctx, self);
        return HPyLong_FromLong(ctx, p->x + p->y + (long)(size_t)closure);
    }
    static int Point_z_set(HPyContext *ctx, HPy self, HPy value, void *closure)
    {
        PointObject *p = PointObject_AsStruct(ctx, self);
        if (HPy_IsNull(value)) {
            HPyErr_SetString(ctx, ctx->h_AttributeError, "cannot delete z");
            return -1;
        }
        long v = HPyLong_AsLong(ctx, value);
        if (v == -1 && HPyErr_Occurred(ctx)) return -1;
        p->x = v - p->y - (long)(size_t)closure;
        return 0;
    }

    HPyDef_GET(Point_field, "field")
    static HPy Point_field_get(HPyContext *ctx, HPy self, void *closure)
    {
        PointObject *p = PointObject_AsStruct(ctx, self);
        if (HPyField_IsNull(p->obj))
            return HPy_Dup(ctx, ctx->h_Ellipsis);
        return HPyField_Load(ctx, self, p->obj);
    }

    HPyDef_METH(Point_norm2, "norm2", HPyFunc_NOARGS, .doc = "x*x + y*y")
    static HPy Point_norm2_impl(HPyContext *ctx, HPy self)
    {
        PointObject *p = PointObject_AsStruct(ctx, self);
        return HPyLong_FromLong(ctx, p->x * p->x + p->y * p->y);
    }

    HPyDef_METH(Point_store, "store", HPyFunc_O)
    static HPy Point_store_impl(HPyContext *ctx, HPy self, HPy arg)
    {
        PointObject *p = PointObject_AsStruct(ctx, self);
        HPyField_Store(ctx, self, &p->obj, arg);
        return HPy_Dup(ctx, ctx->h_None);
    }

    HPyDef_METH(Point_count, "count", HPyFunc_VARARGS)
    static HPy Point_count_impl(HPyContext *ctx, HPy self, const HPy *args, size_t nargs)
    {
        return HPyLong_FromLong(ctx, (long)nargs);
    }

    HPyDef_METH(Point_kw, "kw", HPyFunc_KEYWORDS)
    static HPy Point_kw_impl(HPyContext *ctx, HPy self, const HPy *args, size_t nargs, HPy kwnames)
    {
        long nkw = HPy_IsNull(kwnames) ? 0 : (long)HPy_Length(ctx, kwnames);
        return HPyLong_FromLong(ctx, (long)nargs * 100 + nkw);
    }

    static HPyDef *Point_defines[] = {
        &Point_new, &Point_repr, &Point_add, &Point_traverse, &Point_destroy,
        &Point_x, &Point_y, &Point_obj, &Point_d, &Point_z, &Point_field,
        &Point_norm2, &Point_store, &Point_count, &Point_kw, NULL
    };
    static HPyType_Spec Point_spec = {
        .name = "mytest.Point",
        .basicsize = sizeof(PointObject),
        .flags = HPy_TPFLAGS_DEFAULT | HPy_TPFLAGS_BASETYPE | HPy_TPFLAGS_HAVE_GC,
        .builtin_shape = SHAPE(PointObject),
        .defines = Point_defines,
        .doc = "A point",
    };

    HPyDef_METH(type_info, "type_info", HPyFunc_O)
    static HPy type_info_impl(HPyContext *ctx, HPy self, HPy t)
    {
        const char *name = HPyType_GetName(ctx, t);
        if (name == NULL) return HPy_NULL;
        HPy items[2];
        items[0] = HPyUnicode_FromString(ctx, name);
        items[1] = HPyLong_FromLong(ctx, _HPyType_GetBuiltinShape(ctx, t));
        HPy r = HPyTuple_FromArray(ctx, items, 2);
        HPy_Close(ctx, items[0]);
        HPy_Close(ctx, items[1]);
        return r;
    }

    HPyDef_METH(is_subtype, "is_subtype", HPyFunc_VARARGS)
    static HPy is_subtype_impl(HPyContext *ctx, HPy self, const HPy *args, size_t nargs)
    {
        int r = HPyType_IsSubtype(ctx, args[0], args[1]);
        if (r == 0 && HPyErr_Occurred(ctx))
            return HPy_NULL;
        return HPyBool_FromLong(ctx, r);
    }

    HPyDef_METH(generic_new, "generic_new", HPyFunc_O)
    static HPy generic_new_impl(HPyContext *ctx, HPy self, HPy t)
    {
        return HPyType_GenericNew(ctx, t, NULL, 0, HPy_NULL);
    }

    @EXPORT_TYPE("Point", Point_spec)
    @EXPORT(type_info)
    @EXPORT(is_subtype)
    @EXPORT(generic_new)
"""


def test_point(make_module):
    mod = make_module(POINT)
    P = mod.Point
    assert P.__name__ == "Point"
    assert P.__module__ == "mytest"
    assert P.__doc__ == "A point"
    p = P(3, 4)
    assert repr(p) == "Point(3, 4)"
    assert (p.x, p.y, p.obj, p.d) == (3, 4, None, 0.0)
    p.x = 7
    assert p.x == 7
    with pytest.raises(AttributeError):
        p.y = 5
    p.d = 1.5
    assert p.d == 1.5
    assert P.y.__doc__ == "the y"
    # getset with closure
    assert p.z == 7 + 4 + 1000
    p.z = 1010
    assert p.x == 6
    with pytest.raises(AttributeError):
        del p.z
    assert P.z.__doc__ == "x + y + 1000"
    # methods
    assert p.norm2() == 36 + 16
    assert P.norm2.__doc__ == "x*x + y*y"
    assert p.count(1, 2, 3) == 3
    assert p.kw(1, 2, a=3) == 201
    # nb_add
    q = p + P(1, 1)
    assert repr(q) == "Point(7, 5)"
    assert (p + 1) is NotImplemented if False else True
    with pytest.raises(TypeError):
        p + 1
    # HPyField through member and HPyField_Store/Load
    o = object()
    p.obj = o
    assert p.obj is o
    assert p.field is o
    p.store([1])
    assert p.obj == [1]
    del p.obj
    assert p.obj is None
    assert p.field is ...


def test_destroy_and_gc(make_module):
    mod = make_module(POINT)
    P = mod.Point
    before = mod.get_destroyed()
    p = P(5, 0)
    del p
    assert mod.get_destroyed() == before + 5
    # a cycle through an HPyField is collected
    p = P(10, 0)
    p.obj = p
    wr = weakref.ref(p) if hasattr(P, "__weakref__") else None
    del p
    gc.collect()
    assert mod.get_destroyed() == before + 15
    # the field's reference is released on dealloc
    o = object()
    rc = sys.getrefcount(o)
    p = P(1, 0)
    p.store(o)
    assert sys.getrefcount(o) == rc + 1
    del p
    assert sys.getrefcount(o) == rc


def test_type_info(make_module):
    mod = make_module(POINT)
    P = mod.Point
    assert mod.type_info(P) == ("Point", 0)
    assert mod.type_info(int) == ("int", -1)
    import collections
    assert mod.type_info(collections.OrderedDict) == ("OrderedDict", -1)
    assert mod.is_subtype(P, object)
    assert not mod.is_subtype(object, P)


@pytest.mark.hpy_rs_only("HPyType_GetName of a non-type is undefined in HPy (0.9.0 crashes); hpy-rs raises TypeError")
def test_type_name_of_a_non_type(make_module):
    mod = make_module(POINT)
    with pytest.raises(TypeError):
        mod.type_info(42)


@pytest.mark.hpy_rs_only("HPyType_IsSubtype of a non-type is undefined in HPy (0.9.0's debug mode aborts); hpy-rs raises TypeError")
def test_is_subtype_of_a_non_type(hpy_abi, make_module):
    if hpy_abi == "cpython":
        pytest.skip("the cpython ABI is PyType_IsSubtype itself: undefined, as in C")
    mod = make_module(POINT)
    with pytest.raises(TypeError, match="HPyType_IsSubtype arg 1 must be a type"):
        mod.is_subtype("hello", str)
    with pytest.raises(TypeError, match="HPyType_IsSubtype arg 2 must be a type"):
        mod.is_subtype(bool, "hello")


TYPE_CHECK = """
    HPyDef_METH(type_check, "type_check", HPyFunc_VARARGS)
    static HPy type_check_impl(HPyContext *ctx, HPy self, const HPy *args, size_t nargs)
    {
        int r = HPy_TypeCheck(ctx, args[0], args[1]);
        if (r == 0 && HPyErr_Occurred(ctx))
            return HPy_NULL;
        return HPyBool_FromLong(ctx, r);
    }
    @EXPORT(type_check)
"""


def test_type_check_follows_the_mro(make_module):
    # HPy_TypeCheck is PyObject_TypeCheck: the object's type or its MRO,
    # without __instancecheck__ (the runtime scans the MRO itself).
    import abc
    mod = make_module(TYPE_CHECK)

    class A: pass
    class B(A): pass
    class C: pass
    class D(B, C): pass

    class Meta(type):
        def mro(cls):
            # leaves B out of D2's MRO although it is a base
            return [cls, A, object] if cls.__name__ == "D2" else super().mro()

    class D2(B, metaclass=Meta): pass

    class Virtual(abc.ABC): pass
    Virtual.register(int)

    cases = [
        (D(), D), (D(), B), (D(), A), (D(), C), (D(), object), (D(), int),
        (A(), B), (True, int), (True, bool), (1, bool), (1, Virtual),
        (D2(), A), (D2(), B), (D2(), D2), ([], list), ([], tuple),
    ]
    for obj, tp in cases:
        assert mod.type_check(obj, tp) == type.__subclasscheck__(tp, type(obj)), (obj, tp)
    assert not mod.type_check(D2(), B) and isinstance(D2(), D2)
    assert mod.type_check(1, Virtual) is False and isinstance(1, Virtual)


@pytest.mark.hpy_rs_only("HPy_TypeCheck with a non-type is undefined in HPy (0.9.0 crashes); hpy-rs raises TypeError")
def test_type_check_against_a_non_type(hpy_abi, make_module):
    if hpy_abi == "cpython":
        pytest.skip("the cpython ABI is PyObject_TypeCheck itself: undefined, as in C")
    mod = make_module(TYPE_CHECK)
    with pytest.raises(TypeError, match="HPy_TypeCheck arg 2 must be a type"):
        mod.type_check(1, 2)
    # the exact type needs no check of the second argument
    assert mod.type_check(int, type)


@pytest.mark.upstream_differs(upstream_bugs.PYTHON_SUBCLASS_NEW)
def test_python_subclass(make_module):
    mod = make_module(POINT)
    P = mod.Point

    class Sub(P):
        def __init__(self, *args):
            self.extra = "extra"

        def norm2(self):
            return super().norm2() + 1

    before = mod.get_destroyed()
    s = Sub(2, 3)
    assert s.extra == "extra"
    assert repr(s) == "Point(2, 3)"
    assert s.norm2() == 14
    assert mod.type_info(Sub) == ("Sub", 0)
    s.obj = s
    del s
    gc.collect()
    assert mod.get_destroyed() == before + 2
    t = Sub(1, 1)
    del t
    assert mod.get_destroyed() == before + 3


def test_generic_new(make_module):
    mod = make_module(POINT)
    p = mod.generic_new(mod.Point)
    assert repr(p) == "Point(0, 0)"
    with pytest.raises(TypeError):
        mod.generic_new(42)


CALLS = r"""
    typedef struct { long n; } CallObject;
    HPyType_HELPERS(CallObject)

    HPyDef_SLOT(Call_call, HPy_tp_call)
    static HPy Call_call_impl(HPyContext *ctx, HPy self, const HPy *args, size_t nargs, HPy kwnames)
    {
        CallObject *c = CallObject_AsStruct(ctx, self);
        long nkw = HPy_IsNull(kwnames) ? 0 : (long)HPy_Length(ctx, kwnames);
        return HPyLong_FromLong(ctx, c->n * 10000 + (long)nargs * 100 + nkw);
    }

    HPyDef_CALL_FUNCTION(other_call)
    static HPy other_call_impl(HPyContext *ctx, HPy self, const HPy *args, size_t nargs, HPy kwnames)
    {
        return HPyUnicode_FromString(ctx, "other");
    }

    HPyDef_MEMBER(Call_n, "n", HPyMember_LONG, offsetof(CallObject, n))

    HPyDef_METH(Call_switch, "switch", HPyFunc_NOARGS)
    static HPy Call_switch_impl(HPyContext *ctx, HPy self)
    {
        if (HPy_SetCallFunction(ctx, self, &other_call) < 0)
            return HPy_NULL;
        return HPy_Dup(ctx, ctx->h_None);
    }

    static HPyDef *Call_defines[] = { &Call_call, &Call_n, &Call_switch, NULL };
    static HPyType_Spec Call_spec = {
        .name = "mytest.Call",
        .basicsize = sizeof(CallObject),
        .flags = HPy_TPFLAGS_DEFAULT | HPy_TPFLAGS_BASETYPE,
        .defines = Call_defines,
    };

    HPyDef_SLOT(Call2_new, HPy_tp_new)
    static HPy Call2_new_impl(HPyContext *ctx, HPy cls, const HPy *args, HPy_ssize_t nargs, HPy kw)
    {
        CallObject *c;
        HPy h = HPy_New(ctx, cls, &c);
        if (HPy_IsNull(h)) return HPy_NULL;
        c->n = 42;
        if (HPy_SetCallFunction(ctx, h, &other_call) < 0) {
            HPy_Close(ctx, h);
            return HPy_NULL;
        }
        return h;
    }
    HPyDef_MEMBER(Call2_vcoff, "__vectorcalloffset__", HPyMember_HPYSSIZET,
                  sizeof(CallObject), .readonly = 1)
    typedef struct { long n; void *vectorcall; } Call2Object;
    static HPyDef *Call2_defines[] = { &Call2_new, &Call_n, &Call2_vcoff, NULL };
    static HPyType_Spec Call2_spec = {
        .name = "mytest.Call2",
        .basicsize = sizeof(Call2Object),
        .flags = HPy_TPFLAGS_DEFAULT | HPy_TPFLAGS_HAVE_VECTORCALL,
        .defines = Call2_defines,
    };

    HPyDef_METH(set_call, "set_call", HPyFunc_O)
    static HPy set_call_impl(HPyContext *ctx, HPy self, HPy obj)
    {
        if (HPy_SetCallFunction(ctx, obj, &other_call) < 0)
            return HPy_NULL;
        return HPy_Dup(ctx, ctx->h_None);
    }

    @EXPORT_TYPE("Call", Call_spec)
    @EXPORT_TYPE("Call2", Call2_spec)
    @EXPORT(set_call)
"""


@pytest.mark.upstream_differs(upstream_bugs.PYTHON_SUBCLASS_NEW, run=False)
def test_call(make_module):
    mod = make_module(CALLS)
    c = mod.Call()
    c.n = 3
    assert c() == 30000
    assert c(1, 2, a=3) == 30201
    assert c.__vectorcalloffset__ > 0
    c.switch()
    assert c(1) == "other"

    class Sub(mod.Call):
        pass
    s = Sub()
    s.n = 1
    assert s(1) == 10100
    assert s(*range(5), x=1, y=2) == 10502

    c2 = mod.Call2()
    assert c2.n == 42
    assert c2() == "other"
    with pytest.raises(TypeError, match="call protocol"):
        mod.set_call(object())
    with pytest.raises(TypeError, match="call protocol"):
        mod.set_call(len)


SHAPES = DESTROYED + r"""
    #include <stddef.h>
    typedef struct { long extra; } LongObject;
    HPyType_HELPERS(LongObject, HPyType_BuiltinShape_Long)
    typedef struct { long extra; HPyField f; } ListObject;
    HPyType_HELPERS(ListObject, HPyType_BuiltinShape_List)
    typedef struct { double extra; } FloatObject;
    HPyType_HELPERS(FloatObject, HPyType_BuiltinShape_Float)
    typedef struct { long extra; } UnicodeObject;
    HPyType_HELPERS(UnicodeObject, HPyType_BuiltinShape_Unicode)
    typedef struct { long extra; } TupleObject;
    HPyType_HELPERS(TupleObject, HPyType_BuiltinShape_Tuple)

    HPyDef_MEMBER(Long_extra, "extra", HPyMember_LONG, offsetof(LongObject, extra))
    HPyDef_METH(Long_get, "get", HPyFunc_NOARGS)
    static HPy Long_get_impl(HPyContext *ctx, HPy self)
    {
        return HPyLong_FromLong(ctx, LongObject_AsStruct(ctx, self)->extra);
    }
    static HPyDef *Long_defines[] = { &Long_extra, &Long_get, NULL };
    static HPyType_Spec Long_spec = {
        .name = "mytest.MyLong", .basicsize = sizeof(LongObject),
        .flags = HPy_TPFLAGS_DEFAULT, .builtin_shape = SHAPE(LongObject),
        .defines = Long_defines,
    };

    HPyDef_MEMBER(List_extra, "extra", HPyMember_LONG, offsetof(ListObject, extra))
    HPyDef_MEMBER(List_f, "f", HPyMember_OBJECT_EX, offsetof(ListObject, f))
    HPyDef_SLOT(List_destroy, HPy_tp_destroy)
    static void List_destroy_impl(void *obj)
    {
        destroyed += ((ListObject *)obj)->extra;
    }
    HPyDef_SLOT(List_traverse, HPy_tp_traverse)
    static int List_traverse_impl(void *object, HPyFunc_visitproc visit, void *arg)
    {
        HPy_VISIT(&((ListObject *)object)->f);
        return 0;
    }
    static HPyDef *List_defines[] = { &List_extra, &List_f, &List_destroy, &List_traverse, NULL };
    static HPyType_Spec List_spec = {
        .name = "mytest.MyList", .basicsize = sizeof(ListObject),
        .flags = HPy_TPFLAGS_DEFAULT | HPy_TPFLAGS_HAVE_GC, .builtin_shape = SHAPE(ListObject),
        .defines = List_defines,
    };

    HPyDef_MEMBER(Float_extra, "extra", HPyMember_DOUBLE, offsetof(FloatObject, extra))
    static HPyDef *Float_defines[] = { &Float_extra, NULL };
    static HPyType_Spec Float_spec = {
        .name = "mytest.MyFloat", .basicsize = sizeof(FloatObject),
        .flags = HPy_TPFLAGS_DEFAULT, .builtin_shape = SHAPE(FloatObject),
        .defines = Float_defines,
    };

    HPyDef_MEMBER(Unicode_extra, "extra", HPyMember_LONG, offsetof(UnicodeObject, extra))
    HPyDef_SLOT(Unicode_destroy, HPy_tp_destroy)
    static void Unicode_destroy_impl(void *obj)
    {
        destroyed += ((UnicodeObject *)obj)->extra;
    }
    static HPyDef *Unicode_defines[] = { &Unicode_extra, &Unicode_destroy, NULL };
    static HPyType_Spec Unicode_spec = {
        .name = "mytest.MyStr", .basicsize = sizeof(UnicodeObject),
        .flags = HPy_TPFLAGS_DEFAULT, .builtin_shape = SHAPE(UnicodeObject),
        .defines = Unicode_defines,
    };

    HPyDef_MEMBER(Tuple_extra, "extra", HPyMember_LONG, offsetof(TupleObject, extra))
    HPyDef_METH(Tuple_twice, "twice", HPyFunc_NOARGS)
    static HPy Tuple_twice_impl(HPyContext *ctx, HPy self)
    {
        TupleObject *t = TupleObject_AsStruct(ctx, self);
        t->extra *= 2;
        return HPyLong_FromLong(ctx, t->extra);
    }
    static HPyDef *Tuple_defines[] = { &Tuple_extra, &Tuple_twice, NULL };
    static HPyType_Spec Tuple_spec = {
        .name = "mytest.MyTuple", .basicsize = sizeof(TupleObject),
        .flags = HPy_TPFLAGS_DEFAULT, .builtin_shape = SHAPE(TupleObject),
        .defines = Tuple_defines,
    };

    @EXPORT_TYPE("MyLong", Long_spec, ctx->h_LongType)
    @EXPORT_TYPE("MyList", List_spec, ctx->h_ListType)
    @EXPORT_TYPE("MyFloat", Float_spec, ctx->h_FloatType)
    @EXPORT_TYPE("MyStr", Unicode_spec, ctx->h_UnicodeType)
    @EXPORT_TYPE("MyTuple", Tuple_spec, ctx->h_TupleType)
"""


@pytest.mark.upstream_differs(upstream_bugs.LIST_SHAPE_ITEMS_LEAK)
def test_builtin_shapes(make_module):
    mod = make_module(SHAPES)
    n = mod.MyLong(7)
    assert n == 7 and isinstance(n, int)
    n.extra = 123
    assert n.get() == 123 and n.extra == 123
    assert n + 1 == 8

    o = object()
    rc = sys.getrefcount(o)
    lst = mod.MyList([o, o, 3])
    lst.extra = 5
    lst.f = o
    assert sys.getrefcount(o) == rc + 3
    assert lst == [o, o, 3] and lst.extra == 5 and lst.f is o
    lst.append(o)
    before = mod.get_destroyed()
    del lst
    assert mod.get_destroyed() == before + 5
    assert sys.getrefcount(o) == rc   # list items and the field were released

    lst = mod.MyList()
    lst.extra = 1
    lst.append(lst)
    lst.f = lst
    del lst
    gc.collect()
    assert mod.get_destroyed() == before + 6

    f = mod.MyFloat(2.5)
    f.extra = 1.25
    assert f == 2.5 and f.extra == 1.25

    s = mod.MyStr("hello")
    s.extra = 100
    assert s == "hello" and s.extra == 100 and s.upper() == "HELLO"
    del s
    assert mod.get_destroyed() == before + 106

    # As in HPy 0.9.0, the struct of a var-sized shape (Tuple, Long) sits
    # after the first item / digit: only objects with at most one are safe.
    t = mod.MyTuple((1,))
    t.extra = 9
    assert t == (1,) and t.extra == 9
    assert t.twice() == 18 and t.extra == 18     # the struct the member uses
    assert t == (1,)


MISC = r"""
    #include <stddef.h>
    #include <string.h>
    typedef struct { long a; HPy_ssize_t weaklist; } BaseObject;
    HPyType_HELPERS(BaseObject)
    typedef struct { BaseObject base; long b; } SubObject;
    HPyType_HELPERS(SubObject)

    static long log_ = 0;

    HPyDef_SLOT(Base_destroy, HPy_tp_destroy)
    static void Base_destroy_impl(void *obj) { log_ = log_ * 10 + 1; }
    HPyDef_MEMBER(Base_a, "a", HPyMember_LONG, offsetof(BaseObject, a))
    HPyDef_MEMBER(Base_weak, "__weaklistoffset__", HPyMember_HPYSSIZET,
                  offsetof(BaseObject, weaklist), .readonly = 1)
    static HPyDef *Base_defines[] = { &Base_destroy, &Base_a, &Base_weak, NULL };
    static HPyType_Spec Base_spec = {
        .name = "mytest.Base", .basicsize = sizeof(BaseObject),
        .flags = HPy_TPFLAGS_DEFAULT | HPy_TPFLAGS_BASETYPE,
        .defines = Base_defines,
    };

    HPyDef_SLOT(Sub_destroy, HPy_tp_destroy)
    static void Sub_destroy_impl(void *obj) { log_ = log_ * 10 + 2; }
    HPyDef_MEMBER(Sub_b, "b", HPyMember_LONG, offsetof(SubObject, b))
    static HPyDef *Sub_defines[] = { &Sub_destroy, &Sub_b, NULL };
    static HPyType_Spec Sub_spec = {
        .name = "mytest.Sub", .basicsize = sizeof(SubObject),
        .flags = HPy_TPFLAGS_DEFAULT | HPy_TPFLAGS_BASETYPE,
        .defines = Sub_defines,
    };
    /* no struct of its own, no destroy: inherits both */
    static HPyDef *Sub2_defines[] = { NULL };
    static HPyType_Spec Sub2_spec = {
        .name = "mytest.Sub2", .flags = HPy_TPFLAGS_DEFAULT | HPy_TPFLAGS_BASETYPE, .defines = Sub2_defines,
    };

    /* finalizer */
    HPyDef_SLOT(Fin_finalize, HPy_tp_finalize)
    static void Fin_finalize_impl(HPyContext *ctx, HPy self) { log_ = log_ * 10 + 7; }
    HPyDef_SLOT(Fin_destroy, HPy_tp_destroy)
    static void Fin_destroy_impl(void *obj) { log_ = log_ * 10 + 8; }
    static HPyDef *Fin_defines[] = { &Fin_finalize, &Fin_destroy, NULL };
    static HPyType_Spec Fin_spec = {
        .name = "mytest.Fin", .basicsize = sizeof(long),
        .flags = HPy_TPFLAGS_DEFAULT, .defines = Fin_defines,
    };

    /* buffer */
    static char data[] = "hello buffer";
    static long released = 0;
    HPyDef_SLOT(Buf_getbuffer, HPy_bf_getbuffer)
    static int Buf_getbuffer_impl(HPyContext *ctx, HPy self, HPy_buffer *view, int flags)
    {
        view->buf = data;
        view->obj = HPy_Dup(ctx, self);
        view->len = (HPy_ssize_t)strlen(data);
        view->itemsize = 1;
        view->readonly = 1;
        view->ndim = 1;
        view->format = NULL;
        view->shape = NULL;
        view->strides = NULL;
        view->suboffsets = NULL;
        view->internal = (void *)42;
        return 0;
    }
    HPyDef_SLOT(Buf_releasebuffer, HPy_bf_releasebuffer)
    static void Buf_releasebuffer_impl(HPyContext *ctx, HPy self, HPy_buffer *view)
    {
        released += (long)(size_t)view->internal;
    }
    static HPyDef *Buf_defines[] = { &Buf_getbuffer, &Buf_releasebuffer, NULL };
    static HPyType_Spec Buf_spec = {
        .name = "mytest.Buf", .flags = HPy_TPFLAGS_DEFAULT, .defines = Buf_defines,
    };

    HPyDef_METH(get_log, "get_log", HPyFunc_NOARGS)
    static HPy get_log_impl(HPyContext *ctx, HPy self)
    {
        HPy items[2] = { HPyLong_FromLong(ctx, log_), HPyLong_FromLong(ctx, released) };
        HPy r = HPyTuple_FromArray(ctx, items, 2);
        HPy_Close(ctx, items[0]);
        HPy_Close(ctx, items[1]);
        log_ = 0;
        released = 0;
        return r;
    }

    HPyDef_METH(sub_struct, "sub_struct", HPyFunc_O)
    static HPy sub_struct_impl(HPyContext *ctx, HPy self, HPy obj)
    {
        SubObject *s = SubObject_AsStruct(ctx, obj);
        return HPyLong_FromLong(ctx, s->base.a * 1000 + s->b);
    }

    static int add(HPyContext *ctx, HPy m, const char *name, HPyType_Spec *spec, HPyType_SpecParam *params)
    {
        HPy t = HPyType_FromSpec(ctx, spec, params);
        if (HPy_IsNull(t)) return -1;
        int r = HPy_SetAttr_s(ctx, m, name, t);
        HPy_Close(ctx, t);
        return r;
    }

    HPyDef_SLOT(mod_exec, HPy_mod_exec)
    static int mod_exec_impl(HPyContext *ctx, HPy m)
    {
        if (add(ctx, m, "Base", &Base_spec, NULL) < 0) return -1;
        HPy base = HPy_GetAttr_s(ctx, m, "Base");
        HPyType_SpecParam params[] = { { HPyType_SpecParam_Base, base }, { 0 } };
        int r = add(ctx, m, "Sub", &Sub_spec, params);
        HPy_Close(ctx, base);
        if (r < 0) return -1;
        HPy sub = HPy_GetAttr_s(ctx, m, "Sub");
        HPy bases = HPyTuple_FromArray(ctx, &sub, 1);
        HPyType_SpecParam params2[] = { { HPyType_SpecParam_BasesTuple, bases }, { 0 } };
        r = add(ctx, m, "Sub2", &Sub2_spec, params2);
        HPy_Close(ctx, sub);
        HPy_Close(ctx, bases);
        if (r < 0) return -1;
        if (add(ctx, m, "Fin", &Fin_spec, NULL) < 0) return -1;
        if (add(ctx, m, "Buf", &Buf_spec, NULL) < 0) return -1;
        return 0;
    }
    @EXPORT(mod_exec)
    @EXPORT(get_log)
    @EXPORT(sub_struct)
"""


@pytest.mark.upstream_differs(upstream_bugs.PYTHON_SUBCLASS_NEW, run=False)
def test_hpy_subtypes(make_module):
    mod = make_module(MISC)
    mod.get_log()
    s = mod.Sub()
    s.a = 3
    s.b = 4
    assert mod.sub_struct(s) == 3004
    assert isinstance(s, mod.Base)
    del s
    assert mod.get_log() == (21, 0)     # most derived destroy first
    b = mod.Base()
    wr = weakref.ref(b)
    assert wr() is b
    del b
    assert wr() is None
    assert mod.get_log() == (1, 0)
    s2 = mod.Sub2()
    s2.b = 5
    assert mod.sub_struct(s2) == 5
    assert mod.Sub2.__mro__[1] is mod.Sub
    del s2
    assert mod.get_log() == (21, 0)

    class PySub(mod.Sub2):
        pass
    p = PySub()
    p.a, p.b, p.c = 1, 2, 3
    assert mod.sub_struct(p) == 1002
    wr = weakref.ref(p)
    del p
    assert wr() is None
    assert mod.get_log() == (21, 0)


def test_finalize(make_module):
    mod = make_module(MISC)
    mod.get_log()
    f = mod.Fin()
    del f
    assert mod.get_log() == (78, 0)


def test_buffer(make_module):
    mod = make_module(MISC)
    mod.get_log()
    b = mod.Buf()
    rc = sys.getrefcount(b)
    m = memoryview(b)
    assert m.readonly
    assert bytes(m) == b"hello buffer"
    assert m.obj is b
    m.release()
    assert sys.getrefcount(b) == rc
    assert mod.get_log() == (0, 42)


ERRORS = r"""
    HPyDef_SLOT(E_traverse, HPy_tp_traverse)
    static int E_traverse_impl(void *object, HPyFunc_visitproc visit, void *arg) { return 0; }
    HPyDef_SLOT(E_modexec, HPy_mod_exec)
    static int E_modexec_impl(HPyContext *ctx, HPy m) { return 0; }
    HPyDef_SLOT(E_call, HPy_tp_call)
    static HPy E_call_impl(HPyContext *ctx, HPy self, const HPy *args, size_t nargs, HPy kwnames)
    {
        return HPy_Dup(ctx, ctx->h_None);
    }
    HPyDef_MEMBER(E_member, "m", HPyMember_LONG, 0)
    HPyDef_MEMBER(E_vcoff, "__vectorcalloffset__", HPyMember_HPYSSIZET, 0)

    static HPyDef *no_defines[] = { NULL };
    static HPyDef *modslot_defines[] = { &E_modexec, NULL };
    static HPyDef *member_defines[] = { &E_member, NULL };
    static HPyDef *call_vc_defines[] = { &E_call, &E_vcoff, NULL };
    static HPyDef *call_defines[] = { &E_call, NULL };
    static long dummy_legacy_slots[2] = { 0, 0 };

    HPyDef_METH(make, "make", HPyFunc_O)
    static HPy make_impl(HPyContext *ctx, HPy self, HPy which)
    {
        long w = HPyLong_AsLong(ctx, which);
        HPyType_Spec spec = { .name = "mytest.E", .flags = HPy_TPFLAGS_DEFAULT, .defines = no_defines };
        HPyType_SpecParam *params = NULL;
        HPyType_SpecParam two_tuples[] = {
            { HPyType_SpecParam_BasesTuple, ctx->h_None },
            { HPyType_SpecParam_BasesTuple, ctx->h_None }, { 0 } };
        HPyType_SpecParam mixed[] = {
            { HPyType_SpecParam_Base, ctx->h_BaseObjectType },
            { HPyType_SpecParam_BasesTuple, ctx->h_None }, { 0 } };
        HPyType_SpecParam unknown[] = { { 42, ctx->h_None }, { 0 } };
        HPyType_SpecParam two_metas[] = {
            { HPyType_SpecParam_Metaclass, ctx->h_TypeType },
            { HPyType_SpecParam_Metaclass, ctx->h_TypeType }, { 0 } };
        HPyType_SpecParam bad_meta[] = { { HPyType_SpecParam_Metaclass, ctx->h_None }, { 0 } };
        HPyType_SpecParam type_meta[] = { { HPyType_SpecParam_Metaclass, ctx->h_TypeType }, { 0 } };
        switch (w) {
        case 0: spec.flags |= HPy_TPFLAGS_HAVE_GC; break;
        case 1: spec.legacy_slots = dummy_legacy_slots; break;
        case 2: spec.builtin_shape = (HPyType_BuiltinShape)42; break;
        case 3: spec.defines = modslot_defines; break;
        case 4: spec.defines = member_defines; break;
        case 5: spec.defines = call_vc_defines; spec.basicsize = 16; break;
        case 6: spec.defines = call_defines; spec.itemsize = 8; break;
        case 7: params = two_tuples; break;
        case 8: params = mixed; break;
        case 9: params = unknown; break;
        case 10: params = two_metas; break;
        case 11: params = bad_meta; break;
        case 12: params = type_meta; break;
        case 13: spec.defines = call_defines; break;
        }
        return HPyType_FromSpec(ctx, &spec, params);
    }
    @EXPORT(make)
"""


def test_errors(make_module):
    mod = make_module(ERRORS)
    cases = [
        (ValueError, "HPy_tp_traverse slot if you specify HPy_TPFLAGS_HAVE_GC"),
        (TypeError, "legacy_slots without setting .builtin_shape"),
        (ValueError, "invalid shape: 42"),
        None,   # test_errors_module_slot_in_a_type
        (TypeError, "basicsize==0 but defines members"),
        (TypeError, "__vectorcalloffset__"),
        (TypeError, "var objects"),
        (TypeError, "multiple specifications of HPyType_SpecParam_BasesTuple"),
        (TypeError, "cannot specify both HPyType_SpecParam_Base and"),
        (TypeError, "unknown HPyType_SpecParam specification for 'mytest.E'"),
        (ValueError, "metaclass was specified multiple times"),
        (TypeError, "is not a subclass of 'type'"),
    ]
    for i, case in enumerate(cases):
        if case is None:
            continue
        exc, msg = case
        with pytest.raises(exc, match=msg):
            mod.make(i)
    t = mod.make(12)
    assert type(t) is type and t.__name__ == "E"
    t = mod.make(13)
    assert t()() is None


@pytest.mark.hpy_rs_only("the exception: HPy 0.9.0 refuses a module slot in a type spec with RuntimeError('invalid slot offset')")
def test_errors_module_slot_in_a_type(make_module):
    mod = make_module(ERRORS)
    with pytest.raises(TypeError, match="module slot"):
        mod.make(3)


META = r"""
    #include <stddef.h>
    typedef struct { long meta_data; } MetaObject;
    HPyType_HELPERS(MetaObject, HPyType_BuiltinShape_Type)
    HPyDef_MEMBER(Meta_data, "meta_data", HPyMember_LONG, offsetof(MetaObject, meta_data))
    HPyDef_METH(Meta_get, "get_meta", HPyFunc_NOARGS)
    static HPy Meta_get_impl(HPyContext *ctx, HPy self)
    {
        return HPyLong_FromLong(ctx, MetaObject_AsStruct(ctx, self)->meta_data);
    }
    static HPyDef *Meta_defines[] = { &Meta_data, &Meta_get, NULL };
    static HPyType_Spec Meta_spec = {
        .name = "mytest.Meta", .basicsize = sizeof(MetaObject),
        .flags = HPy_TPFLAGS_DEFAULT | HPy_TPFLAGS_BASETYPE,
        .builtin_shape = SHAPE(MetaObject), .defines = Meta_defines,
    };
    typedef struct { long x; } ObjObject;
    HPyType_HELPERS(ObjObject)
    HPyDef_MEMBER(Obj_x, "x", HPyMember_LONG, offsetof(ObjObject, x))
    static HPyDef *Obj_defines[] = { &Obj_x, NULL };
    static HPyType_Spec Obj_spec = {
        .name = "mytest.Obj", .basicsize = sizeof(ObjObject),
        .flags = HPy_TPFLAGS_DEFAULT, .defines = Obj_defines,
    };

    HPyDef_METH(make, "make", HPyFunc_NOARGS)
    static HPy make_impl(HPyContext *ctx, HPy self)
    {
        HPyType_SpecParam mp[] = { { HPyType_SpecParam_Base, ctx->h_TypeType }, { 0 } };
        HPy meta = HPyType_FromSpec(ctx, &Meta_spec, mp);
        if (HPy_IsNull(meta)) return HPy_NULL;
        HPyType_SpecParam op[] = { { HPyType_SpecParam_Metaclass, meta }, { 0 } };
        HPy t = HPyType_FromSpec(ctx, &Obj_spec, op);
        HPy_Close(ctx, meta);
        if (HPy_IsNull(t)) return HPy_NULL;
        MetaObject_AsStruct(ctx, t)->meta_data = 77;
        return t;
    }
    @EXPORT(make)
"""


def test_metaclass(hpy_abi, make_module):
    mod = make_module(META)
    T = mod.make()
    assert type(T).__name__ == "Meta"
    assert T.meta_data == 77 and T.get_meta() == 77
    o = T()
    o.x = 3
    assert o.x == 3
    del o, T
    gc.collect()


META_FROM_PYTHON = r"""
    #include <stddef.h>
    typedef struct { long meta_data; } MetaObject;
    HPyType_HELPERS(MetaObject, HPyType_BuiltinShape_Type)
    HPyDef_MEMBER(Meta_data, "meta_data", HPyMember_LONG, offsetof(MetaObject, meta_data))
    HPyDef_METH(Meta_get, "get_meta", HPyFunc_NOARGS)
    static HPy Meta_get_impl(HPyContext *ctx, HPy self)
    {
        return HPyLong_FromLong(ctx, MetaObject_AsStruct(ctx, self)->meta_data);
    }
    HPyDef_METH(Meta_set, "set_meta", HPyFunc_O)
    static HPy Meta_set_impl(HPyContext *ctx, HPy self, HPy arg)
    {
        long v = HPyLong_AsLong(ctx, arg);
        if (v == -1 && HPyErr_Occurred(ctx))
            return HPy_NULL;
        MetaObject_AsStruct(ctx, self)->meta_data = v;
        return HPy_Dup(ctx, ctx->h_None);
    }
    static HPyDef *Meta_defines[] = { &Meta_data, &Meta_get, &Meta_set, NULL };
    static HPyType_Spec Meta_spec = {
        .name = "mytest.Meta", .basicsize = sizeof(MetaObject),
        .flags = HPy_TPFLAGS_DEFAULT | HPy_TPFLAGS_BASETYPE,
        .builtin_shape = SHAPE(MetaObject), .defines = Meta_defines,
    };
    @EXPORT_TYPE("Meta", Meta_spec, ctx->h_TypeType)
"""


def test_metaclass_of_python_classes(make_module):
    """Classes that Python creates with an HPy metaclass: the struct of the
    Type shape, on every CPython version (no HPyType_SpecParam_Metaclass)."""
    mod = make_module(META_FROM_PYTHON)

    class A(metaclass=mod.Meta):
        pass

    class B(metaclass=mod.Meta):
        def f(self):
            return "f"

    assert type(A) is mod.Meta and A.get_meta() == 0     # allocated zeroed
    A.set_meta(5)
    B.set_meta(-7)
    assert (A.get_meta(), B.get_meta(), A.meta_data) == (5, -7, 5)
    B.meta_data = 11
    assert B.get_meta() == 11 and B().f() == "f" and A.__name__ == "A"

    class C(A):                 # the metaclass is inherited, the struct is per class
        pass
    assert type(C) is mod.Meta and C.get_meta() == 0 and A.get_meta() == 5
    with pytest.raises(TypeError):
        mod.Meta.get_meta(int)  # not an instance of the metaclass
    wr = weakref.ref(C)
    del C
    gc.collect()
    assert wr() is None


LEGACY = DESTROYED + r"""
    #include <stddef.h>
    #include <structmember.h>
    typedef struct { PyObject_HEAD long x; long y; } LegacyObject;
    HPyType_LEGACY_HELPERS(LegacyObject)

    static PyObject *leg_repr(PyObject *self)
    {
        return PyUnicode_FromFormat("Legacy(%ld, %ld)", ((LegacyObject *)self)->x, ((LegacyObject *)self)->y);
    }
    static PyObject *leg_m(PyObject *self, PyObject *unused)
    {
        return PyLong_FromLong(((LegacyObject *)self)->x * 2);
    }
    static PyMethodDef leg_methods[] = { { "legacy_m", leg_m, METH_NOARGS, NULL }, { NULL } };
    static PyMemberDef leg_members[] = { { "ly", T_LONG, offsetof(LegacyObject, y), 0, NULL }, { NULL } };
    static PyObject *leg_get(PyObject *self, void *c) { return PyLong_FromLong(((LegacyObject *)self)->y + 1); }
    static PyGetSetDef leg_getsets[] = { { "ly1", leg_get, NULL, NULL, NULL }, { NULL } };
    static PyType_Slot leg_slots[] = {
        { Py_tp_repr, leg_repr }, { Py_tp_methods, leg_methods },
        { Py_tp_members, leg_members }, { Py_tp_getset, leg_getsets }, { 0, NULL } };

    HPyDef_MEMBER(Leg_x, "x", HPyMember_LONG, offsetof(LegacyObject, x))
    HPyDef_METH(Leg_hm, "hpy_m", HPyFunc_NOARGS)
    static HPy Leg_hm_impl(HPyContext *ctx, HPy self)
    {
        return HPyLong_FromLong(ctx, LegacyObject_AsStruct(ctx, self)->x * 3);
    }
    HPyDef_SLOT(Leg_new, HPy_tp_new)
    static HPy Leg_new_impl(HPyContext *ctx, HPy cls, const HPy *args, HPy_ssize_t nargs, HPy kw)
    {
        LegacyObject *o;
        HPy h = HPy_New(ctx, cls, &o);
        if (HPy_IsNull(h)) return HPy_NULL;
        o->x = 5;
        return h;
    }
    HPyDef_SLOT(Leg_destroy, HPy_tp_destroy)
    static void Leg_destroy_impl(void *obj) { destroyed += ((LegacyObject *)obj)->x; }
    static HPyDef *Leg_defines[] = { &Leg_x, &Leg_hm, &Leg_new, &Leg_destroy, NULL };
    static HPyType_Spec Leg_spec = {
        .name = "mytest.Legacy", .basicsize = sizeof(LegacyObject),
        .flags = HPy_TPFLAGS_DEFAULT | HPy_TPFLAGS_BASETYPE,
        .builtin_shape = HPyType_BuiltinShape_Legacy,
        .legacy_slots = leg_slots, .defines = Leg_defines,
    };

    /* pure type extending the legacy one: allowed */
    typedef struct { long z; } PureObject;
    HPyType_HELPERS(PureObject)
    static HPyDef *Pure_defines[] = { NULL };
    /* Leg_new treats HPy_New's struct as a LegacyObject: not for a pure type */
    HPyDef_SLOT(Pure_new, HPy_tp_new)
    static HPy Pure_new_impl(HPyContext *ctx, HPy cls, const HPy *args, HPy_ssize_t nargs, HPy kw)
    {
        HPy h = HPyType_GenericNew(ctx, cls, args, nargs, kw);
        if (!HPy_IsNull(h)) {
            PyObject *o = HPy_AsPyObject(ctx, h);
            ((LegacyObject *)o)->x = 5;
            Py_DECREF(o);
        }
        return h;
    }
    static HPyDef *Pure_defines2[] = { &Pure_new, NULL };
    static HPyType_Spec Pure_spec = {
        .name = "mytest.Pure", .flags = HPy_TPFLAGS_DEFAULT | HPy_TPFLAGS_BASETYPE,
        .defines = Pure_defines2,
    };
    /* legacy type extending a pure one with a struct: refused */
    typedef struct { long w; } Pure2Object;
    static HPyType_Spec Pure2_spec = {
        .name = "mytest.Pure2", .basicsize = sizeof(Pure2Object),
        .flags = HPy_TPFLAGS_DEFAULT | HPy_TPFLAGS_BASETYPE, .defines = Pure_defines,
    };
    static HPyType_Spec Leg2_spec = {
        .name = "mytest.Legacy2", .basicsize = sizeof(LegacyObject) + 16,
        .flags = HPy_TPFLAGS_DEFAULT, .builtin_shape = HPyType_BuiltinShape_Legacy,
        .defines = Pure_defines,
    };

    HPyDef_METH(make_bad, "make_bad", HPyFunc_NOARGS)
    static HPy make_bad_impl(HPyContext *ctx, HPy self)
    {
        HPy p2 = HPyType_FromSpec(ctx, &Pure2_spec, NULL);
        if (HPy_IsNull(p2)) return HPy_NULL;
        HPyType_SpecParam params[] = { { HPyType_SpecParam_Base, p2 }, { 0 } };
        HPy r = HPyType_FromSpec(ctx, &Leg2_spec, params);
        HPy_Close(ctx, p2);
        return r;
    }

    HPyDef_SLOT(mod_exec, HPy_mod_exec)
    static int mod_exec_impl(HPyContext *ctx, HPy m)
    {
        HPy t = HPyType_FromSpec(ctx, &Leg_spec, NULL);
        if (HPy_IsNull(t)) return -1;
        HPyType_SpecParam params[] = { { HPyType_SpecParam_Base, t }, { 0 } };
        HPy p = HPyType_FromSpec(ctx, &Pure_spec, params);
        int r = HPy_SetAttr_s(ctx, m, "Legacy", t);
        HPy_Close(ctx, t);
        if (HPy_IsNull(p)) return -1;
        if (r == 0) r = HPy_SetAttr_s(ctx, m, "Pure", p);
        HPy_Close(ctx, p);
        return r;
    }
    @EXPORT(mod_exec)
    @EXPORT(make_bad)
    @EXPORT(type_info)
"""

LEGACY_TYPE_INFO = r"""
    HPyDef_METH(type_info, "type_info", HPyFunc_O)
    static HPy type_info_impl(HPyContext *ctx, HPy self, HPy t)
    {
        return HPyLong_FromLong(ctx, _HPyType_GetBuiltinShape(ctx, t));
    }
"""


def test_legacy(make_hybrid_module):
    mod = make_hybrid_module(LEGACY_TYPE_INFO + LEGACY)
    L = mod.Legacy
    o = L()
    assert o.x == 5 and o.ly == 0
    o.ly = 4
    assert repr(o) == "Legacy(5, 4)"
    assert o.legacy_m() == 10 and o.hpy_m() == 15 and o.ly1 == 5
    assert mod.type_info(L) == -1
    before = mod.get_destroyed()
    del o
    assert mod.get_destroyed() == before + 5
    p = mod.Pure()
    assert isinstance(p, L) and p.x == 5 and p.hpy_m() == 15
    assert mod.type_info(mod.Pure) == 0
    del p
    assert mod.get_destroyed() == before + 10
    with pytest.raises(TypeError, match="legacy type should not inherit"):
        mod.make_bad()


@pytest.mark.upstream_differs(upstream_bugs.PYTHON_SUBCLASS_NEW)
def test_types_are_collected(make_module):
    mod = make_module(POINT)

    class Sub(mod.Point):
        pass
    s = Sub(1, 2)
    s.obj = s
    wr = weakref.ref(Sub)
    del s, Sub
    gc.collect()
    assert wr() is None

    emod = make_module(ERRORS)
    t = emod.make(13)       # an HPy type with HPy_tp_call
    o = t()
    wr = weakref.ref(t)
    del t, o
    gc.collect()
    assert wr() is None


# Added to KW_POINT: a fresh Point type at each call, so that a test can let
# one die without touching the module other tests share (--check-refleaks
# reuses it).
NEW_POINT_TYPE = """
    HPyDef_METH(new_point_type, "new_point_type", HPyFunc_NOARGS)
    static HPy new_point_type_impl(HPyContext *ctx, HPy self)
    {
        return HPyType_FromSpec(ctx, &Point_spec, NULL);
    }
    @EXPORT(new_point_type)
"""


@pytest.mark.upstream_differs(upstream_bugs.TYPE_NOT_VISITED)
def test_instances_visit_their_type(make_module):
    mod = make_module(KW_POINT + NEW_POINT_TYPE, name="fresh_types")
    P = mod.new_point_type()
    p = P()
    assert P in gc.get_referents(p)
    # The instance's reference to its type is internal to this cycle: only
    # the visit lets the collector see that the type is garbage.
    P.instance = p
    wr = weakref.ref(P)
    del P, p
    gc.collect()
    assert wr() is None


KW_POINT = DESTROYED + """
    typedef struct {
        long x;
        double y;
        HPyField obj;
    } PointObject;
    HPyType_HELPERS(PointObject)

    HPyDef_SLOT(Point_new, HPy_tp_new)
    static HPy Point_new_impl(HPyContext *ctx, HPy cls, const HPy *args,
                              HPy_ssize_t nargs, HPy kw)
    {
        long x = 0;
        double y = 0.0;
        static const char *kwlist[] = {"x", "y", NULL};
        PointObject *p;
        HPy h;
        if (!HPyArg_ParseKeywordsDict(ctx, NULL, args, nargs, kw, "|ld",
                                      kwlist, &x, &y))
            return HPy_NULL;
        h = HPy_New(ctx, cls, &p);
        if (HPy_IsNull(h))
            return HPy_NULL;
        p->x = x;
        p->y = y;
        return h;
    }

    HPyDef_MEMBER(Point_x, "x", HPyMember_LONG, offsetof(PointObject, x))
    HPyDef_MEMBER(Point_y, "y", HPyMember_DOUBLE, offsetof(PointObject, y),
                  .readonly = 1, .doc = "the y coordinate")
    HPyDef_MEMBER(Point_obj, "obj", HPyMember_OBJECT, offsetof(PointObject, obj))

    HPyDef_METH(Point_sum, "sum", HPyFunc_NOARGS, .doc = "x + y")
    static HPy Point_sum_impl(HPyContext *ctx, HPy self)
    {
        PointObject *p = PointObject_AsStruct(ctx, self);
        return HPyFloat_FromDouble(ctx, p->x + p->y);
    }

    HPyDef_GETSET(Point_scaled, "scaled", .closure = (void *)10)
    static HPy Point_scaled_get(HPyContext *ctx, HPy self, void *closure)
    {
        return HPyLong_FromLong(ctx, PointObject_AsStruct(ctx, self)->x * (long)closure);
    }
    static int Point_scaled_set(HPyContext *ctx, HPy self, HPy value, void *closure)
    {
        long v = HPyLong_AsLong(ctx, value);
        if (v == -1 && HPyErr_Occurred(ctx))
            return -1;
        PointObject_AsStruct(ctx, self)->x = v / (long)closure;
        return 0;
    }

    HPyDef_SLOT(Point_repr, HPy_tp_repr)
    static HPy Point_repr_impl(HPyContext *ctx, HPy self)
    {
        PointObject *p = PointObject_AsStruct(ctx, self);
        return HPyUnicode_FromFormat(ctx, "Point(%ld)", p->x);
    }

    HPyDef_SLOT(Point_traverse, HPy_tp_traverse)
    static int Point_traverse_impl(void *self, HPyFunc_visitproc visit, void *arg)
    {
        PointObject *p = (PointObject *)self;
        HPy_VISIT(&p->obj);
        return 0;
    }

    HPyDef_SLOT(Point_destroy, HPy_tp_destroy)
    static void Point_destroy_impl(void *self)
    {
        destroyed++;
    }

    static HPyDef *Point_defines[] = {
        &Point_new, &Point_x, &Point_y, &Point_obj, &Point_sum, &Point_scaled,
        &Point_repr, &Point_traverse, &Point_destroy, NULL
    };
    static HPyType_Spec Point_spec = {
        .name = "mytest.Point",
        .basicsize = sizeof(PointObject),
        .flags = HPy_TPFLAGS_DEFAULT | HPy_TPFLAGS_BASETYPE | HPy_TPFLAGS_HAVE_GC,
        .builtin_shape = SHAPE(PointObject),
        .defines = Point_defines,
        .doc = "A point.",
    };

    HPyDef_METH(get_x, "get_x", HPyFunc_O)
    static HPy get_x_impl(HPyContext *ctx, HPy self, HPy point)
    {
        return HPyLong_FromLong(ctx, PointObject_AsStruct(ctx, point)->x);
    }

    @EXPORT_TYPE("Point", Point_spec)
    @EXPORT(get_x)
"""


def test_type_basics(make_module):
    mod = make_module(KW_POINT)
    P = mod.Point
    assert P.__name__ == "Point"
    assert P.__module__ == "mytest"
    assert P.__doc__ == "A point."
    p = P(3, 4.5)
    assert isinstance(p, P)
    assert (p.x, p.y) == (3, 4.5)
    assert P(y=2.0).y == 2.0 and P(y=2.0).x == 0
    assert p.sum() == 7.5
    assert P.sum.__doc__ == "x + y"
    assert repr(p) == "Point(3)"
    assert mod.get_x(p) == 3
    p.x = 7
    assert mod.get_x(p) == 7
    with pytest.raises(AttributeError):
        p.y = 1.0
    assert P.y.__doc__ == "the y coordinate"
    assert p.scaled == 70
    p.scaled = 120
    assert p.x == 12
    with pytest.raises(TypeError):
        P("a")


def test_object_member_and_destroy(make_module):
    mod = make_module(KW_POINT)
    p = mod.Point(1, 2.0)
    assert p.obj is None
    marker = []
    p.obj = marker
    assert p.obj is marker
    del p.obj
    assert p.obj is None
    before = mod.get_destroyed()
    q = mod.Point()
    del q
    assert mod.get_destroyed() == before + 1


def test_fields_are_traversed_and_cycles_collected(make_module):
    mod = make_module(KW_POINT)

    class Marker:
        pass

    p = mod.Point()
    m = Marker()
    p.obj = m
    assert m in gc.get_referents(p)
    # a cycle through an HPyField: only the collector can free it
    p.obj = p
    wp = weakref.ref(m)
    del m
    gc.collect()
    before = mod.get_destroyed()
    del p
    gc.collect()
    assert mod.get_destroyed() == before + 1
    assert wp() is None


@pytest.mark.upstream_differs(upstream_bugs.PYTHON_SUBCLASS_NEW, run=False)
def test_python_subclass_of_kw_point(make_module):
    mod = make_module(KW_POINT)

    class Sub(mod.Point):
        def twice(self):
            return 2 * self.x

    s = Sub(5)
    assert s.x == 5 and s.twice() == 10
    assert mod.get_x(s) == 5
    s.extra = "attribute in the instance dict"
    s.obj = s
    before = mod.get_destroyed()
    del s
    gc.collect()
    assert mod.get_destroyed() == before + 1


BUILTIN_SHAPES = """
    typedef struct { long tag; } FloatExt;
    HPyType_HELPERS(FloatExt, HPyType_BuiltinShape_Float)
    typedef struct { long tag; } ListExt;
    HPyType_HELPERS(ListExt, HPyType_BuiltinShape_List)
    typedef struct { long tag; } UnicodeExt;
    HPyType_HELPERS(UnicodeExt, HPyType_BuiltinShape_Unicode)

    static long list_destroyed = 0;

    HPyDef_SLOT(ListExt_destroy, HPy_tp_destroy)
    static void ListExt_destroy_impl(void *obj)
    {
        list_destroyed += ((ListExt *)obj)->tag;
    }

    static HPyDef *ListExt_defines[] = { &ListExt_destroy, NULL };

    static HPyType_Spec FloatExt_spec = {
        .name = "mytest.FloatExt", .basicsize = sizeof(FloatExt),
        .builtin_shape = SHAPE(FloatExt),
    };
    static HPyType_Spec ListExt_spec = {
        .name = "mytest.ListExt", .basicsize = sizeof(ListExt),
        .flags = HPy_TPFLAGS_DEFAULT | HPy_TPFLAGS_BASETYPE,
        .builtin_shape = SHAPE(ListExt), .defines = ListExt_defines,
    };
    static HPyType_Spec UnicodeExt_spec = {
        .name = "mytest.UnicodeExt", .basicsize = sizeof(UnicodeExt),
        .builtin_shape = SHAPE(UnicodeExt),
    };

    HPyDef_METH(set_tag, "set_tag", HPyFunc_VARARGS)
    static HPy set_tag_impl(HPyContext *ctx, HPy self, const HPy *args, size_t nargs)
    {
        long tag = HPyLong_AsLong(ctx, args[1]);
        HPy type = HPy_Type(ctx, args[0]);
        HPyType_BuiltinShape shape = _HPyType_GetBuiltinShape(ctx, type);
        HPy_Close(ctx, type);
        switch (shape) {
        case HPyType_BuiltinShape_Float: FloatExt_AsStruct(ctx, args[0])->tag = tag; break;
        case HPyType_BuiltinShape_List: ListExt_AsStruct(ctx, args[0])->tag = tag; break;
        case HPyType_BuiltinShape_Unicode: UnicodeExt_AsStruct(ctx, args[0])->tag = tag; break;
        default: return HPyErr_SetString(ctx, ctx->h_TypeError, "bad shape");
        }
        return HPy_Dup(ctx, ctx->h_None);
    }

    HPyDef_METH(get_tag, "get_tag", HPyFunc_O)
    static HPy get_tag_impl(HPyContext *ctx, HPy self, HPy obj)
    {
        HPy type = HPy_Type(ctx, obj);
        HPyType_BuiltinShape shape = _HPyType_GetBuiltinShape(ctx, type);
        HPy_Close(ctx, type);
        switch (shape) {
        case HPyType_BuiltinShape_Float: return HPyLong_FromLong(ctx, FloatExt_AsStruct(ctx, obj)->tag);
        case HPyType_BuiltinShape_List: return HPyLong_FromLong(ctx, ListExt_AsStruct(ctx, obj)->tag);
        case HPyType_BuiltinShape_Unicode: return HPyLong_FromLong(ctx, UnicodeExt_AsStruct(ctx, obj)->tag);
        default: return HPyErr_SetString(ctx, ctx->h_TypeError, "bad shape");
        }
    }

    HPyDef_METH(shape_of, "shape_of", HPyFunc_O)
    static HPy shape_of_impl(HPyContext *ctx, HPy self, HPy type)
    {
        HPyType_BuiltinShape shape = _HPyType_GetBuiltinShape(ctx, type);
        if (shape == (HPyType_BuiltinShape)-2)
            return HPy_NULL;
        return HPyLong_FromLong(ctx, (long)shape);
    }

    HPyDef_METH(get_list_destroyed, "get_list_destroyed", HPyFunc_NOARGS)
    static HPy get_list_destroyed_impl(HPyContext *ctx, HPy self)
    {
        return HPyLong_FromLong(ctx, list_destroyed);
    }

    @EXPORT_TYPE("FloatExt", FloatExt_spec, ctx->h_FloatType)
    @EXPORT_TYPE("ListExt", ListExt_spec, ctx->h_ListType)
    @EXPORT_TYPE("UnicodeExt", UnicodeExt_spec, ctx->h_UnicodeType)
    @EXPORT(set_tag)
    @EXPORT(get_tag)
    @EXPORT(shape_of)
    @EXPORT(get_list_destroyed)
"""


@pytest.mark.upstream_differs(upstream_bugs.LIST_SHAPE_ITEMS_LEAK)
def test_builtin_shape_structs(make_module):
    mod = make_module(BUILTIN_SHAPES)
    f = mod.FloatExt(2.5)
    assert f == 2.5 and isinstance(f, float)
    mod.set_tag(f, 17)
    assert mod.get_tag(f) == 17 and f == 2.5

    s = mod.UnicodeExt("hello")
    mod.set_tag(s, 3)
    assert s == "hello" and s.upper() == "HELLO" and mod.get_tag(s) == 3

    class Item:
        pass

    item = Item()
    wr = weakref.ref(item)
    lst = mod.ListExt([1, item])
    del item
    lst.append(3)
    mod.set_tag(lst, 5)
    assert lst[0] == 1 and len(lst) == 3 and mod.get_tag(lst) == 5
    before = mod.get_list_destroyed()
    del lst
    assert mod.get_list_destroyed() == before + 5
    assert wr() is None, "the list deallocator must still release the items"

    assert mod.shape_of(mod.FloatExt) == 3
    assert mod.shape_of(mod.ListExt) == 6
    assert mod.shape_of(mod.UnicodeExt) == 4
    assert mod.shape_of(int) == -1      # not an HPy type: legacy layout
    with pytest.raises(TypeError):
        mod.shape_of(42)

    class SubList(mod.ListExt):
        pass

    sl = SubList([1, 2])
    mod.set_tag(sl, 100)
    assert mod.shape_of(SubList) == 6
    before = mod.get_list_destroyed()
    del sl
    assert mod.get_list_destroyed() == before + 100


CALLABLE = """
    typedef struct { long n; } CallableObject;
    HPyType_HELPERS(CallableObject)

    HPyDef_SLOT(Callable_call, HPy_tp_call)
    static HPy Callable_call_impl(HPyContext *ctx, HPy self, const HPy *args,
                                  size_t nargs, HPy kwnames)
    {
        HPy kw = HPy_IsNull(kwnames) ? ctx->h_None : kwnames;
        CallableObject *c = CallableObject_AsStruct(ctx, self);
        c->n++;
        return HPy_BuildValue(ctx, "(snO)", "default", (HPy_ssize_t)nargs, kw);
    }

    HPyDef_CALL_FUNCTION(other_call)
    static HPy other_call_impl(HPyContext *ctx, HPy self, const HPy *args,
                               size_t nargs, HPy kwnames)
    {
        return HPy_BuildValue(ctx, "(sn)", "other", (HPy_ssize_t)nargs);
    }

    HPyDef_MEMBER(Callable_n, "n", HPyMember_LONG, offsetof(CallableObject, n))

    static HPyDef *Callable_defines[] = { &Callable_call, &Callable_n, NULL };
    static HPyType_Spec Callable_spec = {
        .name = "mytest.Callable",
        .basicsize = sizeof(CallableObject),
        .flags = HPy_TPFLAGS_DEFAULT | HPy_TPFLAGS_BASETYPE,
        .defines = Callable_defines,
    };

    HPyDef_METH(use_other, "use_other", HPyFunc_O)
    static HPy use_other_impl(HPyContext *ctx, HPy self, HPy obj)
    {
        if (HPy_SetCallFunction(ctx, obj, &other_call) < 0)
            return HPy_NULL;
        return HPy_Dup(ctx, ctx->h_None);
    }

    @EXPORT_TYPE("Callable", Callable_spec)
    @EXPORT(use_other)
"""


@pytest.mark.upstream_differs(upstream_bugs.PYTHON_SUBCLASS_NEW, run=False)
def test_call_slot_and_set_call_function(make_module):
    mod = make_module(CALLABLE)
    c = mod.Callable()
    assert c() == ("default", 0, None)
    assert c(1, 2, k=3) == ("default", 2, ("k",))
    assert c.n == 2
    with pytest.raises(TypeError):
        mod.Callable(1)     # no tp_init: no constructor arguments

    class Sub(mod.Callable):
        pass

    assert Sub()(1) == ("default", 1, None)
    d = mod.Callable()
    mod.use_other(d)
    assert d(1, 2) == ("other", 2)
    assert c() == ("default", 0, None), "only that instance changed"
    with pytest.raises(TypeError):
        mod.use_other(object())


METACLASS = """
    typedef struct { long magic; } MetaObject;
    HPyType_HELPERS(MetaObject, HPyType_BuiltinShape_Type)

    static HPyType_Spec Meta_spec = {
        .name = "mytest.Meta",
        .basicsize = sizeof(MetaObject),
        .flags = HPy_TPFLAGS_DEFAULT | HPy_TPFLAGS_BASETYPE,
        .builtin_shape = SHAPE(MetaObject),
    };
    static HPyType_Spec WithMeta_spec = {
        .name = "mytest.WithMeta",
        .flags = HPy_TPFLAGS_DEFAULT,
        .doc = "has a metaclass",
    };

    HPyDef_METH(get_magic, "get_magic", HPyFunc_O)
    static HPy get_magic_impl(HPyContext *ctx, HPy self, HPy type)
    {
        return HPyLong_FromLong(ctx, MetaObject_AsStruct(ctx, type)->magic);
    }

    HPyDef_SLOT(exec_types, HPy_mod_exec)
    static int exec_types_impl(HPyContext *ctx, HPy m)
    {
        HPyType_SpecParam meta_params[] = { {HPyType_SpecParam_Base, ctx->h_TypeType}, {0} };
        HPy meta = HPyType_FromSpec(ctx, &Meta_spec, meta_params);
        HPy t;
        if (HPy_IsNull(meta))
            return -1;
        {
            HPyType_SpecParam params[] = { {HPyType_SpecParam_Metaclass, meta}, {0} };
            t = HPyType_FromSpec(ctx, &WithMeta_spec, params);
        }
        if (HPy_IsNull(t) || HPy_SetAttr_s(ctx, m, "Meta", meta) < 0 ||
            HPy_SetAttr_s(ctx, m, "WithMeta", t) < 0) {
            HPy_Close(ctx, meta);
            HPy_Close(ctx, t);
            return -1;
        }
        MetaObject_AsStruct(ctx, t)->magic = 42;
        HPy_Close(ctx, meta);
        HPy_Close(ctx, t);
        return 0;
    }
    @EXPORT(exec_types)
    @EXPORT(get_magic)
"""


@pytest.mark.upstream_differs(upstream_bugs.METACLASS_STAND_IN)
def test_metaclass_made_in_exec(hpy_abi, make_module):
    mod = make_module(METACLASS)
    T = mod.WithMeta
    assert type(T) is mod.Meta
    assert isinstance(T, type)
    assert T.__name__ == "WithMeta" and T.__module__ == "mytest"
    assert T.__doc__ == "has a metaclass"
    assert mod.get_magic(T) == 42
    assert isinstance(T(), T)
    # no plain-type stand-in left behind (3.11 builds the type in two steps);
    # WithMeta types of earlier loads of this module are instances of their Meta
    gc.collect()
    assert any(c is T for c in object.__subclasses__())
    assert not [c for c in object.__subclasses__() if c.__name__ == "WithMeta" and type(c) is type]


INHERITANCE = """
    typedef struct { long a; } BaseObject;
    HPyType_HELPERS(BaseObject)
    typedef struct { BaseObject base; long b; } DerivedObject;
    HPyType_HELPERS(DerivedObject)

    static long destroyed_base = 0, destroyed_derived = 0;

    HPyDef_SLOT(Base_destroy, HPy_tp_destroy)
    static void Base_destroy_impl(void *obj) { destroyed_base += ((BaseObject *)obj)->a; }
    HPyDef_SLOT(Derived_destroy, HPy_tp_destroy)
    static void Derived_destroy_impl(void *obj) { destroyed_derived += ((DerivedObject *)obj)->b; }

    HPyDef_MEMBER(Base_a, "a", HPyMember_LONG, offsetof(BaseObject, a))
    HPyDef_MEMBER(Derived_b, "b", HPyMember_LONG, offsetof(DerivedObject, b))

    static HPyDef *Base_defines[] = { &Base_a, &Base_destroy, NULL };
    static HPyDef *Derived_defines[] = { &Derived_b, &Derived_destroy, NULL };
    static HPyType_Spec Base_spec = {
        .name = "mytest.Base", .basicsize = sizeof(BaseObject),
        .flags = HPy_TPFLAGS_DEFAULT | HPy_TPFLAGS_BASETYPE, .defines = Base_defines,
    };
    static HPyType_Spec Derived_spec = {
        .name = "mytest.Derived", .basicsize = sizeof(DerivedObject),
        .flags = HPy_TPFLAGS_DEFAULT | HPy_TPFLAGS_BASETYPE, .defines = Derived_defines,
    };
    static HPyType_Spec Inheriting_spec = {
        .name = "mytest.Inheriting", .flags = HPy_TPFLAGS_DEFAULT,
    };

    HPyDef_METH(destroyed, "destroyed", HPyFunc_NOARGS)
    static HPy destroyed_impl(HPyContext *ctx, HPy self)
    {
        return HPy_BuildValue(ctx, "ll", destroyed_base, destroyed_derived);
    }

    HPyDef_METH(new_base, "new_base", HPyFunc_O)
    static HPy new_base_impl(HPyContext *ctx, HPy self, HPy type)
    {
        BaseObject *data;
        HPy h = HPy_New(ctx, type, &data);
        if (!HPy_IsNull(h))
            data->a = 1000;
        return h;
    }

    HPyDef_SLOT(exec_types, HPy_mod_exec)
    static int exec_types_impl(HPyContext *ctx, HPy m)
    {
        HPy base = HPyType_FromSpec(ctx, &Base_spec, NULL);
        int ok;
        if (HPy_IsNull(base))
            return -1;
        {
            HPyType_SpecParam params[] = { {HPyType_SpecParam_Base, base}, {0} };
            HPyType_SpecParam tuple_params[] = { {HPyType_SpecParam_BasesTuple, HPy_NULL}, {0} };
            ok = HPy_SetAttr_s(ctx, m, "Base", base) == 0 &&
                 HPyHelpers_AddType(ctx, m, "Derived", &Derived_spec, params);
            if (ok) {
                tuple_params[0].object = HPyTuple_Pack(ctx, 1, base);
                ok = HPyHelpers_AddType(ctx, m, "Inheriting", &Inheriting_spec, tuple_params);
                HPy_Close(ctx, tuple_params[0].object);
            }
        }
        HPy_Close(ctx, base);
        return ok ? 0 : -1;
    }
    @EXPORT(exec_types)
    @EXPORT(destroyed)
    @EXPORT(new_base)
"""


@pytest.mark.not_repeatable  # counts destroy calls in a C static
def test_hpy_base_classes(make_module):
    mod = make_module(INHERITANCE)
    assert mod.Derived.__base__ is mod.Base
    assert mod.Inheriting.__bases__ == (mod.Base,)
    d = mod.Derived()
    d.a, d.b = 3, 4
    assert (d.a, d.b) == (3, 4)
    del d
    assert mod.destroyed() == (3, 4), "destroy runs for every HPy level"
    i = mod.new_base(mod.Inheriting)
    assert isinstance(i, mod.Inheriting) and i.a == 1000
    del i
    assert mod.destroyed() == (1003, 4)


LEGACY_SLOTS = """
    #include <structmember.h>

    typedef struct {
        PyObject_HEAD
        long value;
    } LegacyObject;
    HPyType_LEGACY_HELPERS(LegacyObject)

    static long legacy_destroyed = 0;

    static PyObject *legacy_repr(PyObject *self)
    {
        return PyUnicode_FromFormat("<legacy %ld>", ((LegacyObject *)self)->value);
    }
    static PyObject *legacy_add(PyObject *self, PyObject *arg)
    {
        return PyLong_FromLong(((LegacyObject *)self)->value + PyLong_AsLong(arg));
    }
    static void legacy_dealloc(PyObject *self)
    {
        PyTypeObject *tp = Py_TYPE(self);
        tp->tp_free(self);
        Py_DECREF(tp);
    }
    static PyMethodDef legacy_methods[] = {
        {"add", legacy_add, METH_O, "legacy method"},
        {NULL, NULL, 0, NULL}
    };
    static PyMemberDef legacy_members[] = {
        {"value", T_LONG, offsetof(LegacyObject, value), 0, NULL},
        {NULL}
    };
    static PyType_Slot legacy_slots[] = {
        {Py_tp_repr, (void *)legacy_repr},
        {Py_tp_methods, legacy_methods},
        {Py_tp_members, legacy_members},
        {0, NULL}
    };
    static PyType_Slot legacy_slots_with_dealloc[] = {
        {Py_tp_dealloc, (void *)legacy_dealloc},
        {0, NULL}
    };

    HPyDef_SLOT(Legacy_new, HPy_tp_new)
    static HPy Legacy_new_impl(HPyContext *ctx, HPy cls, const HPy *args,
                               HPy_ssize_t nargs, HPy kw)
    {
        LegacyObject *data;
        HPy h = HPy_New(ctx, cls, &data);
        if (!HPy_IsNull(h))
            data->value = nargs > 0 ? HPyLong_AsLong(ctx, args[0]) : 0;
        return h;
    }
    HPyDef_METH(Legacy_twice, "twice", HPyFunc_NOARGS)
    static HPy Legacy_twice_impl(HPyContext *ctx, HPy self)
    {
        return HPyLong_FromLong(ctx, 2 * LegacyObject_AsStruct(ctx, self)->value);
    }
    HPyDef_SLOT(Legacy_destroy, HPy_tp_destroy)
    static void Legacy_destroy_impl(void *obj)
    {
        legacy_destroyed += ((LegacyObject *)obj)->value;
    }

    static HPyDef *Legacy_defines[] = {
        &Legacy_new, &Legacy_twice, &Legacy_destroy, NULL
    };
    static HPyType_Spec Legacy_spec = {
        .name = "mytest.Legacy",
        .basicsize = sizeof(LegacyObject),
        .flags = HPy_TPFLAGS_DEFAULT | HPy_TPFLAGS_BASETYPE,
        .builtin_shape = SHAPE(LegacyObject),
        .legacy_slots = legacy_slots,
        .defines = Legacy_defines,
    };
    static HPyType_Spec Pure_spec = {
        .name = "mytest.Pure", .basicsize = 8,
        .flags = HPy_TPFLAGS_DEFAULT | HPy_TPFLAGS_BASETYPE,
    };

    HPyDef_METH(errors, "errors", HPyFunc_O)
    static HPy errors_impl(HPyContext *ctx, HPy self, HPy which)
    {
        HPyType_Spec spec = Legacy_spec;
        HPy pure, result;
        if (HPyLong_AsLong(ctx, which) == 0) {
            spec.legacy_slots = legacy_slots_with_dealloc;
            return HPyType_FromSpec(ctx, &spec, NULL);
        }
        pure = HPyType_FromSpec(ctx, &Pure_spec, NULL);
        if (HPy_IsNull(pure))
            return HPy_NULL;
        {
            HPyType_SpecParam params[] = { {HPyType_SpecParam_Base, pure}, {0} };
            spec.defines = NULL;
            result = HPyType_FromSpec(ctx, &spec, params);
        }
        HPy_Close(ctx, pure);
        return result;
    }

    HPyDef_METH(destroyed, "destroyed", HPyFunc_NOARGS)
    static HPy destroyed_impl(HPyContext *ctx, HPy self)
    {
        return HPyLong_FromLong(ctx, legacy_destroyed);
    }

    @EXPORT_TYPE("Legacy", Legacy_spec)
    @EXPORT(errors)
    @EXPORT(destroyed)
"""


@pytest.mark.python_h    # legacy slots are CPython structures
def test_legacy_type(make_module):
    mod = make_module(LEGACY_SLOTS)
    obj = mod.Legacy(21)
    assert repr(obj) == "<legacy 21>"
    assert obj.value == 21 and obj.twice() == 42 and obj.add(1) == 22
    assert mod.Legacy.add.__doc__ == "legacy method"
    obj.value = 5

    class Sub(mod.Legacy):
        pass

    s = Sub(100)
    assert s.twice() == 200
    before = mod.destroyed()
    del obj, s
    assert mod.destroyed() == before + 105
    with pytest.raises(TypeError, match="legacy tp_dealloc is incompatible"):
        mod.errors(0)
    with pytest.raises(TypeError, match="should not inherit its memory layout from a pure type"):
        mod.errors(1)


GC_LIST = DESTROYED + """
    typedef struct { HPyField f; long n; } GcList;
    HPyType_HELPERS(GcList, HPyType_BuiltinShape_List)

    HPyDef_MEMBER(GcList_f, "f", HPyMember_OBJECT, offsetof(GcList, f))
    HPyDef_MEMBER(GcList_n, "n", HPyMember_LONG, offsetof(GcList, n))
    HPyDef_SLOT(GcList_traverse, HPy_tp_traverse)
    static int GcList_traverse_impl(void *obj, HPyFunc_visitproc visit, void *arg)
    {
        HPy_VISIT(&((GcList *)obj)->f);
        return 0;
    }
    HPyDef_SLOT(GcList_destroy, HPy_tp_destroy)
    static void GcList_destroy_impl(void *obj)
    {
        destroyed += ((GcList *)obj)->n;
    }
    static HPyDef *GcList_defines[] = {
        &GcList_f, &GcList_n, &GcList_traverse, &GcList_destroy, NULL
    };
    static HPyType_Spec GcList_spec = {
        .name = "mytest.GcList", .basicsize = sizeof(GcList),
        .flags = HPy_TPFLAGS_DEFAULT | HPy_TPFLAGS_BASETYPE | HPy_TPFLAGS_HAVE_GC,
        .builtin_shape = SHAPE(GcList), .defines = GcList_defines,
    };

    @EXPORT_TYPE("GcList", GcList_spec, ctx->h_ListType)
"""


@pytest.mark.upstream_differs(upstream_bugs.LIST_SHAPE_NOT_TRAVERSED)
def test_gc_of_builtin_shape(make_module):
    """The collector must see both the HPyFields and what the builtin base
    holds (here the list items), and break cycles through either."""
    mod = make_module(GC_LIST)

    class Marker:
        pass

    for through_items in (True, False):
        lst = mod.GcList()
        lst.n = 1
        m = Marker()
        wm = weakref.ref(m)
        lst.append(m)
        if through_items:
            lst.append(lst)
        else:
            lst.f = lst
        assert lst in gc.get_referents(lst)
        before = mod.get_destroyed()
        del lst, m
        gc.collect()
        assert mod.get_destroyed() == before + 1
        assert wm() is None

    class Sub(mod.GcList):
        pass

    s = Sub([1])
    s.n = 10
    s.attr = s
    s.f = s
    s.append(s)
    before = mod.get_destroyed()
    del s
    gc.collect()
    assert mod.get_destroyed() == before + 10
