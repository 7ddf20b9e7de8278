"""Types: HPyType_FromSpec and everything an HPyType_Spec can hold, in
every ABI (the cpython ABI's ctx_type.c and the Rust runtime's types.rs)."""
import gc
import sys
import weakref

import pytest

POINT = """
    typedef struct {
        long x;
        double y;
        HPyField obj;
    } PointObject;
    HPyType_HELPERS(PointObject)

    static long destroyed = 0;

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

    HPyDef_METH(get_destroyed, "get_destroyed", HPyFunc_NOARGS)
    static HPy get_destroyed_impl(HPyContext *ctx, HPy self)
    {
        return HPyLong_FromLong(ctx, destroyed);
    }

    HPyDef_METH(get_x, "get_x", HPyFunc_O)
    static HPy get_x_impl(HPyContext *ctx, HPy self, HPy point)
    {
        return HPyLong_FromLong(ctx, PointObject_AsStruct(ctx, point)->x);
    }

    HPyDef_SLOT(exec_types, HPy_mod_exec)
    static int exec_types_impl(HPyContext *ctx, HPy m)
    {
        return HPyHelpers_AddType(ctx, m, "Point", &Point_spec, NULL) ? 0 : -1;
    }
    @EXPORT(exec_types)
    @EXPORT(get_destroyed)
    @EXPORT(get_x)
"""


def test_type_basics(make_module):
    mod = make_module(POINT)
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
    mod = make_module(POINT)
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
    mod = make_module(POINT)

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


def test_python_subclass(make_module):
    mod = make_module(POINT)

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

    HPyDef_SLOT(exec_types, HPy_mod_exec)
    static int exec_types_impl(HPyContext *ctx, HPy m)
    {
        HPyType_SpecParam float_base[] = { {HPyType_SpecParam_Base, ctx->h_FloatType}, {0} };
        HPyType_SpecParam list_base[] = { {HPyType_SpecParam_Base, ctx->h_ListType}, {0} };
        HPyType_SpecParam str_base[] = { {HPyType_SpecParam_Base, ctx->h_UnicodeType}, {0} };
        if (!HPyHelpers_AddType(ctx, m, "FloatExt", &FloatExt_spec, float_base) ||
            !HPyHelpers_AddType(ctx, m, "ListExt", &ListExt_spec, list_base) ||
            !HPyHelpers_AddType(ctx, m, "UnicodeExt", &UnicodeExt_spec, str_base))
            return -1;
        return 0;
    }
    @EXPORT(exec_types)
    @EXPORT(set_tag)
    @EXPORT(get_tag)
    @EXPORT(shape_of)
    @EXPORT(get_list_destroyed)
"""


def test_builtin_shapes(make_module):
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

    HPyDef_SLOT(exec_types, HPy_mod_exec)
    static int exec_types_impl(HPyContext *ctx, HPy m)
    {
        return HPyHelpers_AddType(ctx, m, "Callable", &Callable_spec, NULL) ? 0 : -1;
    }
    @EXPORT(exec_types)
    @EXPORT(use_other)
"""


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


def test_metaclass(hpy_abi, make_module):
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
    assert T in object.__subclasses__()
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


ERRORS = """
    typedef struct { long x; } Obj;
    HPyType_HELPERS(Obj)

    HPyDef_MEMBER(Obj_x, "x", HPyMember_LONG, offsetof(Obj, x))
    static HPyDef *with_member[] = { &Obj_x, NULL };
    static int dummy_legacy_slots;

    HPyDef_METH(make, "make", HPyFunc_O)
    static HPy make_impl(HPyContext *ctx, HPy self, HPy which)
    {
        HPyType_Spec spec = { .name = "mytest.Bad", .basicsize = sizeof(Obj),
                              .flags = HPy_TPFLAGS_DEFAULT };
        HPyType_SpecParam params[4] = { {0} };
        long w = HPyLong_AsLong(ctx, which);
        switch (w) {
        case 0:     /* GC without tp_traverse */
            spec.flags |= HPy_TPFLAGS_HAVE_GC;
            break;
        case 1:     /* members but basicsize 0 */
            spec.basicsize = 0;
            spec.defines = with_member;
            break;
        case 2:
            spec.builtin_shape = (HPyType_BuiltinShape)42;
            break;
        case 3:
            params[0].kind = HPyType_SpecParam_Base;
            params[0].object = ctx->h_LongType;
            params[1].kind = HPyType_SpecParam_BasesTuple;
            params[1].object = ctx->h_None;
            break;
        case 4:
            params[0].kind = (HPyType_SpecParam_Kind)77;
            params[0].object = ctx->h_LongType;
            break;
        case 5:
            params[0].kind = HPyType_SpecParam_Metaclass;
            params[0].object = ctx->h_TypeType;
            params[1].kind = HPyType_SpecParam_Metaclass;
            params[1].object = ctx->h_TypeType;
            break;
        case 6:
            params[0].kind = HPyType_SpecParam_Metaclass;
            params[0].object = ctx->h_LongType;   /* an instance, not a type */
            params[0].object = ctx->h_None;
            break;
        case 7:
            spec.legacy_slots = &dummy_legacy_slots;
            break;
        case 8:
            params[0].kind = HPyType_SpecParam_BasesTuple;
            params[0].object = ctx->h_None;
            params[1].kind = HPyType_SpecParam_BasesTuple;
            params[1].object = ctx->h_None;
            break;
        default:
            break;
        }
        return HPyType_FromSpec(ctx, &spec, params);
    }
    @EXPORT(make)
"""


@pytest.mark.parametrize("which, exc, match", [
    (0, ValueError, "HPy_tp_traverse slot if you specify HPy_TPFLAGS_HAVE_GC"),
    (1, TypeError, "basicsize==0 but defines members"),
    (2, ValueError, "invalid shape: 42"),
    (3, TypeError, "cannot specify both HPyType_SpecParam_Base and"),
    (4, TypeError, "unknown HPyType_SpecParam specification for 'mytest.Bad'"),
    (5, ValueError, "metaclass was specified multiple times"),
    (6, TypeError, "is not a subclass of 'type'"),
    (7, TypeError, "legacy_slots without setting .builtin_shape"),
    (8, TypeError, "multiple specifications of HPyType_SpecParam_BasesTuple"),
])
def test_spec_errors(make_module, which, exc, match):
    mod = make_module(ERRORS)
    with pytest.raises(exc, match=match):
        mod.make(which)
    t = mod.make(99)
    assert t.__name__ == "Bad"


LEGACY = """
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

    HPyDef_SLOT(exec_types, HPy_mod_exec)
    static int exec_types_impl(HPyContext *ctx, HPy m)
    {
        return HPyHelpers_AddType(ctx, m, "Legacy", &Legacy_spec, NULL) ? 0 : -1;
    }
    @EXPORT(exec_types)
    @EXPORT(errors)
    @EXPORT(destroyed)
"""


def test_legacy_type(make_module, compiler):
    if not compiler.abi.startswith(("cpython", "hybrid")):
        pytest.skip("legacy slots are CPython structures: they need Python.h")
    mod = make_module(LEGACY)
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


GC_LIST = """
    typedef struct { HPyField f; long n; } GcList;
    HPyType_HELPERS(GcList, HPyType_BuiltinShape_List)
    static long destroyed = 0;

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

    HPyDef_METH(get_destroyed, "get_destroyed", HPyFunc_NOARGS)
    static HPy get_destroyed_impl(HPyContext *ctx, HPy self)
    {
        return HPyLong_FromLong(ctx, destroyed);
    }
    HPyDef_SLOT(exec_types, HPy_mod_exec)
    static int exec_types_impl(HPyContext *ctx, HPy m)
    {
        HPyType_SpecParam params[] = { {HPyType_SpecParam_Base, ctx->h_ListType}, {0} };
        return HPyHelpers_AddType(ctx, m, "GcList", &GcList_spec, params) ? 0 : -1;
    }
    @EXPORT(exec_types)
    @EXPORT(get_destroyed)
"""


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
