"""Calling Python from HPy code."""
import pytest

SNIPPET = """
    HPyDef_METH(call, "call", HPyFunc_KEYWORDS)
    static HPy call_impl(HPyContext *ctx, HPy self, const HPy *args, size_t nargs, HPy kwnames)
    {
        /* call(f, *args, **kw): forwards to HPy_Call */
        if (nargs < 1)
            return HPyErr_SetString(ctx, ctx->h_TypeError, "need a callable");
        return HPy_Call(ctx, args[0], args + 1, nargs - 1, kwnames);
    }
    HPyDef_METH(method, "method", HPyFunc_KEYWORDS)
    static HPy method_impl(HPyContext *ctx, HPy self, const HPy *args, size_t nargs, HPy kwnames)
    {
        /* method(name, receiver, *args, **kw) */
        return HPy_CallMethod(ctx, args[0], args + 1, nargs - 1, kwnames);
    }
    HPyDef_METH(tupledict, "tupledict", HPyFunc_VARARGS)
    static HPy tupledict_impl(HPyContext *ctx, HPy self, const HPy *args, size_t nargs)
    {
        HPy a = HPy_Is(ctx, args[1], ctx->h_None) ? HPy_NULL : args[1];
        HPy k = HPy_Is(ctx, args[2], ctx->h_None) ? HPy_NULL : args[2];
        return HPy_CallTupleDict(ctx, args[0], a, k);
    }
    HPyDef_METH(badkw, "badkw", HPyFunc_O)
    static HPy badkw_impl(HPyContext *ctx, HPy self, HPy f)
    {
        HPy kwnames = HPyList_New(ctx, 0);
        HPy r = HPy_Call(ctx, f, NULL, 0, kwnames);
        HPy_Close(ctx, kwnames);
        return r;
    }
    @EXPORT(call)
    @EXPORT(method)
    @EXPORT(tupledict)
    @EXPORT(badkw)
"""


def f(*args, **kw):
    return args, kw


def test_call(make_module):
    mod = make_module(SNIPPET)
    assert mod.call(f) == ((), {})
    assert mod.call(f, 1, 2) == ((1, 2), {})
    assert mod.call(f, 1, x=2, y=3) == ((1,), {"x": 2, "y": 3})
    assert mod.call(len, "abcd") == 4
    with pytest.raises(TypeError):
        mod.call(42)
    with pytest.raises(ZeroDivisionError):
        mod.call(lambda: 1 / 0)


@pytest.mark.hpy_rs_only("kwnames that is not a tuple is undefined in HPy (0.9.0 passes it on to CPython); "
                         "hpy-rs raises TypeError")
def test_call_with_kwnames_not_a_tuple(make_module):
    mod = make_module(SNIPPET)
    with pytest.raises(TypeError, match="kwnames"):
        mod.badkw(f)


def test_call_method(make_module):
    mod = make_module(SNIPPET)
    assert mod.method("upper", "abc") == "ABC"
    assert mod.method("split", "a-b", "-") == ["a", "b"]
    assert mod.method("split", "a b c", maxsplit=1) == ["a", "b c"]
    with pytest.raises(AttributeError):
        mod.method("nope", "abc")


def test_call_tuple_dict(make_module):
    mod = make_module(SNIPPET)
    assert mod.tupledict(f, None, None) == ((), {})
    assert mod.tupledict(f, (1, 2), None) == ((1, 2), {})
    assert mod.tupledict(f, (1,), {"a": 2}) == ((1,), {"a": 2})
    assert mod.tupledict(f, None, {"a": 2}) == ((), {"a": 2})
    with pytest.raises(TypeError):
        mod.tupledict(f, [1], None)
    with pytest.raises(TypeError):
        mod.tupledict(f, (), [("a", 1)])
