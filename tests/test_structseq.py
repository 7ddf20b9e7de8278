"""HPyStructSequence_NewType and HPyStructSequence_New.

In the cpython ABI the types are CPython struct sequences; elsewhere they
are namedtuples. The tests stick to what both have in common."""
import pytest

STRUCTSEQ = """
    static HPyStructSequence_Field point_fields[] = {
        { "x", "the x coordinate" },
        { "y", NULL },
        { NULL, NULL },        /* HPyStructSequence_UnnamedField, set at exec */
        { NULL, NULL },
    };
    static HPyStructSequence_Desc point_desc = {
        .name = "mytest.Point3",
        .doc = "a point with a hidden third coordinate",
        .fields = point_fields,
    };
    static HPyStructSequence_Field no_fields[] = { { NULL, NULL } };
    static HPyStructSequence_Desc empty_desc = {
        .name = "mytest.Empty",
        .fields = no_fields,
    };
    static HPyStructSequence_Desc nameless_desc = { .fields = no_fields };

    HPyDef_METH(make, "make", HPyFunc_VARARGS)
    static HPy make_impl(HPyContext *ctx, HPy self, const HPy *args, size_t nargs)
    {
        return HPyStructSequence_New(ctx, args[0], (HPy_ssize_t)nargs - 1,
                                     (HPy *)args + 1);
    }

    HPyDef_METH(nameless, "nameless", HPyFunc_NOARGS)
    static HPy nameless_impl(HPyContext *ctx, HPy self)
    {
        return HPyStructSequence_NewType(ctx, &nameless_desc);
    }

    HPyDef_SLOT(exec_types, HPy_mod_exec)
    static int exec_types_impl(HPyContext *ctx, HPy m)
    {
        HPy t;
        int r;
        point_fields[2].name = HPyStructSequence_UnnamedField;
        t = HPyStructSequence_NewType(ctx, &point_desc);
        if (HPy_IsNull(t))
            return -1;
        r = HPy_SetAttr_s(ctx, m, "Point3", t);
        HPy_Close(ctx, t);
        if (r < 0)
            return -1;
        t = HPyStructSequence_NewType(ctx, &empty_desc);
        if (HPy_IsNull(t))
            return -1;
        r = HPy_SetAttr_s(ctx, m, "Empty", t);
        HPy_Close(ctx, t);
        return r;
    }
    @EXPORT(exec_types)
    @EXPORT(make)
    @EXPORT(nameless)
"""


def test_struct_sequence(make_module):
    mod = make_module(STRUCTSEQ)
    P = mod.Point3
    assert P.__name__ == "Point3" and P.__module__ == "mytest"
    assert P.__doc__ == "a point with a hidden third coordinate"
    assert P.n_fields == 3
    assert issubclass(P, tuple)
    p = mod.make(P, 1, "two", 3.0)
    assert isinstance(p, P)
    assert tuple(p) == (1, "two", 3.0)
    assert not hasattr(p, "_")          # the unnamed field: by index only
    assert (p.x, p.y) == (1, "two")
    assert p[0] == 1 and p[1] == "two"
    assert mod.Empty.n_fields == 0 and mod.Empty.__doc__ is None
    assert len(mod.make(mod.Empty)) == 0


# Made once: a new class per run would grow CPython's type caches under
# --check-refleaks, which is not an HPy leak.
LOOKALIKE = type("Lookalike", (tuple,), {"n_fields": 1})


def test_struct_sequence_errors(make_module):
    mod = make_module(STRUCTSEQ)
    with pytest.raises(TypeError):
        mod.make(mod.Point3, 1, 2)          # one value per field
    with pytest.raises(TypeError):
        mod.make(mod.Point3, 1, 2, 3, 4)
    with pytest.raises(TypeError):
        mod.make(str, 1)
    with pytest.raises(TypeError):
        mod.make(LOOKALIKE, 1)
    with pytest.raises(TypeError):
        mod.make(42, 1)
    with pytest.raises(SystemError, match="name"):
        mod.nameless()
