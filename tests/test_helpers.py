"""HPyHelpers_AddType and HPyHelpers_PackArgsAndKeywords."""
import pytest


def test_add_type(make_module):
    mod = make_module("""
        static HPyType_Spec Dummy_spec = {
            .name = "mytest.Dummy",
            .flags = HPy_TPFLAGS_DEFAULT | HPy_TPFLAGS_BASETYPE,
        };
        static HPyType_Spec Bad_spec = {
            .name = "mytest.Bad",
            .flags = HPy_TPFLAGS_DEFAULT | HPy_TPFLAGS_HAVE_GC,  /* no traverse */
        };

        HPyDef_METH(add, "add", HPyFunc_VARARGS)
        static HPy add_impl(HPyContext *ctx, HPy self, const HPy *args, size_t nargs)
        {
            const char *name = HPyUnicode_AsUTF8AndSize(ctx, args[1], NULL);
            HPyType_SpecParam params[] = { {HPyType_SpecParam_Base, args[2]}, {0} };
            HPyType_Spec *spec = HPy_IsTrue(ctx, args[3]) ? &Bad_spec : &Dummy_spec;
            if (!HPyHelpers_AddType(ctx, args[0], name, spec,
                                    HPy_Is(ctx, args[2], ctx->h_None) ? NULL : params))
                return HPy_NULL;
            return HPy_Dup(ctx, ctx->h_None);
        }

        HPyDef_SLOT(exec_types, HPy_mod_exec)
        static int exec_types_impl(HPyContext *ctx, HPy m)
        {
            return HPyHelpers_AddType(ctx, m, "Dummy", &Dummy_spec, NULL) ? 0 : -1;
        }
        @EXPORT(exec_types)
        @EXPORT(add)
    """)
    assert isinstance(mod.Dummy, type) and mod.Dummy.__name__ == "Dummy"

    class Target:
        pass

    mod.add(Target, "Sub", mod.Dummy, False)
    assert Target.Sub.__bases__ == (mod.Dummy,)
    assert Target.Sub.__name__ == "Dummy"
    with pytest.raises(ValueError, match="HPy_tp_traverse"):
        mod.add(Target, "Nope", None, True)
    assert not hasattr(Target, "Nope")
    with pytest.raises(AttributeError):
        mod.add(object(), "Sub", None, False)   # cannot set attributes on it


PACK = """
    HPyDef_METH(pack, "pack", HPyFunc_KEYWORDS)
    static HPy pack_impl(HPyContext *ctx, HPy self, const HPy *args, size_t nargs,
                         HPy kwnames)
    {
        HPy tuple = ctx->h_True, dict = ctx->h_True;   /* must be overwritten */
        HPy result;
        if (!HPyHelpers_PackArgsAndKeywords(ctx, args, nargs, kwnames, &tuple, &dict))
            return HPy_NULL;
        result = HPy_BuildValue(ctx, "OO", HPy_IsNull(tuple) ? ctx->h_None : tuple,
                                HPy_IsNull(dict) ? ctx->h_None : dict);
        HPy_Close(ctx, tuple);
        HPy_Close(ctx, dict);
        return result;
    }

    /* forward(f, *args, **kw): f called through HPy_CallTupleDict */
    HPyDef_METH(forward, "forward", HPyFunc_KEYWORDS)
    static HPy forward_impl(HPyContext *ctx, HPy self, const HPy *args, size_t nargs,
                            HPy kwnames)
    {
        HPy tuple, dict, result;
        if (!HPyHelpers_PackArgsAndKeywords(ctx, args + 1, nargs - 1, kwnames,
                                            &tuple, &dict))
            return HPy_NULL;
        result = HPy_CallTupleDict(ctx, args[0], tuple, dict);
        HPy_Close(ctx, tuple);
        HPy_Close(ctx, dict);
        return result;
    }

    HPyDef_METH(bad, "bad", HPyFunc_O)
    static HPy bad_impl(HPyContext *ctx, HPy self, HPy kwnames)
    {
        HPy values[2] = { ctx->h_None, ctx->h_None };
        HPy tuple, dict;
        if (!HPyHelpers_PackArgsAndKeywords(ctx, values, 0, kwnames, &tuple, &dict))
            return HPy_NULL;
        HPy_Close(ctx, tuple);
        HPy_Close(ctx, dict);
        return HPy_Dup(ctx, ctx->h_None);
    }
    @EXPORT(pack)
    @EXPORT(forward)
    @EXPORT(bad)
"""


def test_pack_args_and_keywords(make_module):
    mod = make_module(PACK)
    assert mod.pack() == (None, None)
    assert mod.pack(1, 2) == ((1, 2), None)
    assert mod.pack(a=1) == (None, {"a": 1})
    assert mod.pack(1, b=2, c=3) == ((1,), {"b": 2, "c": 3})

    def f(*args, **kw):
        return args, kw

    assert mod.forward(f, 1, x=2) == ((1,), {"x": 2})
    assert mod.forward(f) == ((), {})
    with pytest.raises(TypeError, match="kwnames must be a tuple"):
        mod.bad(["a"])
