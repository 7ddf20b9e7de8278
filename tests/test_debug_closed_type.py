"""Debug mode: the report on a closed handle names the type its object had
when the handle was closed, whatever kind of type that is (static, an HPy
type, a renamed HPy type, a Python class), including after the type is gone.
"""
import gc
import weakref

import pytest

from hpy.debug import HPyInvalidHandleError
from support.build import Builder

SNIPPET = """
    typedef struct { long x; } PointObject;
    HPyType_HELPERS(PointObject)
    static HPyType_Spec Point_spec = {
        .name = "closed_type.Point",
        .basicsize = sizeof(PointObject),
        .flags = HPy_TPFLAGS_DEFAULT | HPy_TPFLAGS_BASETYPE,
        .builtin_shape = SHAPE(PointObject),
    };
    HPyDef_METH(use_closed_copy, "use_closed_copy", HPyFunc_O)
    static HPy use_closed_copy_impl(HPyContext *ctx, HPy self, HPy arg)
    {
        HPy h = HPy_Dup(ctx, arg);
        HPy_Close(ctx, h);
        return HPy_Repr(ctx, h);
    }
    static HPy closed;
    HPyDef_METH(close_new_point, "close_new_point", HPyFunc_O)
    static HPy close_new_point_impl(HPyContext *ctx, HPy self, HPy type)
    {
        PointObject *p;
        closed = HPy_New(ctx, type, &p);
        if (HPy_IsNull(closed))
            return HPy_NULL;
        HPy_Close(ctx, closed);
        return HPy_Dup(ctx, ctx->h_None);
    }
    HPyDef_METH(make_type, "make_type", HPyFunc_NOARGS)
    static HPy make_type_impl(HPyContext *ctx, HPy self)
    {
        return HPyType_FromSpec(ctx, &Point_spec, NULL);
    }
    HPyDef_METH(use_closed, "use_closed", HPyFunc_NOARGS)
    static HPy use_closed_impl(HPyContext *ctx, HPy self)
    {
        return HPy_Repr(ctx, closed);
    }
    @EXPORT(use_closed_copy)
    @EXPORT(close_new_point)
    @EXPORT(use_closed)
    @EXPORT(make_type)
    @EXPORT_TYPE("Point", Point_spec)
"""


@pytest.fixture
def mod(build_root):
    return Builder("debug", build_root).make_module(SNIPPET, name="closed_type")


def closed_type_of(mod, obj):
    with pytest.raises(HPyInvalidHandleError) as e:
        mod.use_closed_copy(obj)
    return str(e.value)


def test_static_type(mod):
    assert "object (when closed): a 'float'" in closed_type_of(mod, 1.5)


def test_hpy_type(mod):
    # twice: the second close finds the name kept for the type
    for _ in range(2):
        assert "object (when closed): a 'closed_type.Point'" in closed_type_of(mod, mod.Point())


def test_python_class(mod):
    class Local:
        pass

    assert "a 'Local'" in closed_type_of(mod, Local())

    class Sub(mod.Point):
        pass

    assert "a 'Sub'" in closed_type_of(mod, Sub())


def test_renamed_hpy_type(mod):
    T = mod.make_type()
    p = T()
    assert "a 'closed_type.Point'" in closed_type_of(mod, p)
    old = T.__name__
    T.__name__ = "Renamed"
    try:
        assert "object (when closed): a 'Renamed'" in closed_type_of(mod, p)
    finally:
        T.__name__ = old
    assert "a 'Point'" in closed_type_of(mod, p)


def test_type_gone(mod):
    # A type that dies after the close is still named (from a copy).
    class Gone:
        pass

    assert "a 'Gone'" in closed_type_of(mod, Gone())
    del Gone
    gc.collect()


def test_hpy_type_gone(mod):
    # A fresh HPy type, gone before the report.
    T = mod.make_type()
    mod.close_new_point(T)
    r = weakref.ref(T)
    del T
    gc.collect()
    assert r() is None
    with pytest.raises(HPyInvalidHandleError, match="object \\(when closed\\): a 'closed_type.Point'"):
        mod.use_closed()
