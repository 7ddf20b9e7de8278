"""The object protocol, numbers and conversions of scalar types."""
import pytest


def test_attributes(make_module):
    mod = make_module("""
        HPyDef_METH(getx, "getx", HPyFunc_O)
        static HPy getx_impl(HPyContext *ctx, HPy self, HPy obj)
        {
            return HPy_GetAttr_s(ctx, obj, "x");
        }
        HPyDef_METH(setx, "setx", HPyFunc_VARARGS)
        static HPy setx_impl(HPyContext *ctx, HPy self, const HPy *args, size_t n)
        {
            HPy name = HPyUnicode_FromString(ctx, "x");
            int r = HPy_SetAttr(ctx, args[0], name, args[1]);
            if (r < 0) {
                HPy_Close(ctx, name);
                return HPy_NULL;
            }
            int has = HPy_HasAttr(ctx, args[0], name) + HPy_HasAttr_s(ctx, args[0], "nope");
            HPy_Close(ctx, name);
            return HPyLong_FromLong(ctx, has);
        }
        @EXPORT(getx)
        @EXPORT(setx)
    """)
    class C:
        pass
    c = C()
    assert mod.setx(c, 7) == 1
    assert c.x == 7
    assert mod.getx(c) == 7
    with pytest.raises(AttributeError):
        mod.getx(object())
    with pytest.raises(AttributeError):
        mod.setx(object(), 1)


def test_items(make_module):
    mod = make_module("""
        HPyDef_METH(get, "get", HPyFunc_VARARGS)
        static HPy get_impl(HPyContext *ctx, HPy self, const HPy *args, size_t n)
        {
            return HPy_GetItem(ctx, args[0], args[1]);
        }
        HPyDef_METH(get_i, "get_i", HPyFunc_VARARGS)
        static HPy get_i_impl(HPyContext *ctx, HPy self, const HPy *args, size_t n)
        {
            return HPy_GetItem_i(ctx, args[0], HPyLong_AsSsize_t(ctx, args[1]));
        }
        HPyDef_METH(get_s, "get_s", HPyFunc_O)
        static HPy get_s_impl(HPyContext *ctx, HPy self, HPy d)
        {
            return HPy_GetItem_s(ctx, d, "key");
        }
        HPyDef_METH(set_i, "set_i", HPyFunc_VARARGS)
        static HPy set_i_impl(HPyContext *ctx, HPy self, const HPy *args, size_t n)
        {
            if (HPy_SetItem_i(ctx, args[0], 0, args[1]) < 0 ||
                HPy_SetItem_s(ctx, args[2], "k", args[1]) < 0 ||
                HPy_SetItem(ctx, args[2], args[1], args[1]) < 0)
                return HPy_NULL;
            return HPy_Dup(ctx, ctx->h_None);
        }
        HPyDef_METH(contains, "contains", HPyFunc_VARARGS)
        static HPy contains_impl(HPyContext *ctx, HPy self, const HPy *args, size_t n)
        {
            int r = HPy_Contains(ctx, args[0], args[1]);
            if (r < 0)
                return HPy_NULL;
            return HPyBool_FromLong(ctx, r);
        }
        @EXPORT(get)
        @EXPORT(get_i)
        @EXPORT(get_s)
        @EXPORT(set_i)
        @EXPORT(contains)
    """)
    t = tuple(range(10))
    assert mod.get_i(t, 3) == 3
    assert mod.get_i(t, -1) == 9
    assert mod.get_i([5, 6], 1) == 6
    assert mod.get_i({4: "four"}, 4) == "four"
    with pytest.raises(IndexError):
        mod.get_i(t, 10)
    with pytest.raises(TypeError):
        mod.get_i(3, 0)
    assert mod.get({"a": 1}, "a") == 1
    with pytest.raises(KeyError):
        mod.get({}, "a")
    assert mod.get_s({"key": 5}) == 5
    with pytest.raises(KeyError):
        mod.get_s({})
    lst, d = [0], {}
    assert mod.set_i(lst, 9, d) is None
    assert lst == [9] and d == {"k": 9, 9: 9}
    with pytest.raises(IndexError):
        mod.set_i([], 1, {})
    assert mod.contains([1, 2], 2) is True
    assert mod.contains("abc", "x") is False
    with pytest.raises(TypeError):
        mod.contains(1, 1)


@pytest.mark.parametrize("op, pyop", [
    ("HPy_Add", lambda a, b: a + b),
    ("HPy_Subtract", lambda a, b: a - b),
    ("HPy_Multiply", lambda a, b: a * b),
    ("HPy_FloorDivide", lambda a, b: a // b),
    ("HPy_TrueDivide", lambda a, b: a / b),
    ("HPy_Remainder", lambda a, b: a % b),
    ("HPy_Divmod", divmod),
    ("HPy_Lshift", lambda a, b: a << b),
    ("HPy_Rshift", lambda a, b: a >> b),
    ("HPy_And", lambda a, b: a & b),
    ("HPy_Or", lambda a, b: a | b),
    ("HPy_Xor", lambda a, b: a ^ b),
])
def test_binary_number_ops(make_module, op, pyop):
    mod = make_module("""
        HPyDef_METH(f, "f", HPyFunc_VARARGS)
        static HPy f_impl(HPyContext *ctx, HPy self, const HPy *args, size_t n)
        {
            return %s(ctx, args[0], args[1]);
        }
        @EXPORT(f)
    """ % op, name="binop_" + op.lower())
    assert mod.f(17, 5) == pyop(17, 5)
    if op in ("HPy_FloorDivide", "HPy_Remainder", "HPy_TrueDivide", "HPy_Divmod"):
        with pytest.raises(ZeroDivisionError):
            mod.f(1, 0)
    with pytest.raises(TypeError):
        mod.f(1, None)


def test_comparisons_and_truth(make_module):
    mod = make_module("""
        HPyDef_METH(cmp, "cmp", HPyFunc_VARARGS)
        static HPy cmp_impl(HPyContext *ctx, HPy self, const HPy *args, size_t n)
        {
            return HPy_RichCompare(ctx, args[0], args[1], (int)HPyLong_AsLong(ctx, args[2]));
        }
        HPyDef_METH(cmpbool, "cmpbool", HPyFunc_VARARGS)
        static HPy cmpbool_impl(HPyContext *ctx, HPy self, const HPy *args, size_t n)
        {
            int r = HPy_RichCompareBool(ctx, args[0], args[1], HPy_LT);
            if (r < 0)
                return HPy_NULL;
            return HPyLong_FromLong(ctx, r);
        }
        HPyDef_METH(truth, "truth", HPyFunc_O)
        static HPy truth_impl(HPyContext *ctx, HPy self, HPy arg)
        {
            int r = HPy_IsTrue(ctx, arg);
            if (r < 0)
                return HPy_NULL;
            return HPyLong_FromLong(ctx, r * 10 + HPy_Is(ctx, arg, ctx->h_None));
        }
        @EXPORT(cmp)
        @EXPORT(cmpbool)
        @EXPORT(truth)
    """)
    import operator
    ops = [operator.lt, operator.le, operator.eq, operator.ne, operator.gt, operator.ge]
    for i, op in enumerate(ops):
        for a, b in [(1, 2), (2, 2), (3, 2)]:
            assert mod.cmp(a, b, i) is op(a, b)
    assert mod.cmpbool(1, 2) == 1
    with pytest.raises(TypeError):
        mod.cmpbool(1, "x")
    assert mod.truth([]) == 0
    assert mod.truth([1]) == 10
    assert mod.truth(None) == 1

    class Bad:
        def __bool__(self):
            raise RuntimeError("no truth")
    with pytest.raises(RuntimeError):
        mod.truth(Bad())


def test_long_conversions(make_module):
    mod = make_module("""
        HPyDef_METH(i32, "i32", HPyFunc_O)
        static HPy i32_impl(HPyContext *ctx, HPy self, HPy arg)
        {
            int32_t v = HPyLong_AsInt32_t(ctx, arg);
            if (v == -1 && HPyErr_Occurred(ctx))
                return HPy_NULL;
            return HPyLong_FromInt32_t(ctx, v);
        }
        HPyDef_METH(u64, "u64", HPyFunc_O)
        static HPy u64_impl(HPyContext *ctx, HPy self, HPy arg)
        {
            uint64_t v = HPyLong_AsUInt64_t(ctx, arg);
            if (v == (uint64_t)-1 && HPyErr_Occurred(ctx))
                return HPy_NULL;
            return HPyLong_FromUInt64_t(ctx, v);
        }
        HPyDef_METH(ssize, "ssize", HPyFunc_O)
        static HPy ssize_impl(HPyContext *ctx, HPy self, HPy arg)
        {
            HPy_ssize_t v = HPyLong_AsSsize_t(ctx, arg);
            if (v == -1 && HPyErr_Occurred(ctx))
                return HPy_NULL;
            return HPyLong_FromSsize_t(ctx, v);
        }
        HPyDef_METH(dbl, "dbl", HPyFunc_O)
        static HPy dbl_impl(HPyContext *ctx, HPy self, HPy arg)
        {
            double v = HPyFloat_AsDouble(ctx, arg);
            if (v == -1.0 && HPyErr_Occurred(ctx))
                return HPy_NULL;
            return HPyFloat_FromDouble(ctx, v * 2);
        }
        @EXPORT(i32)
        @EXPORT(u64)
        @EXPORT(ssize)
        @EXPORT(dbl)
    """)
    assert mod.i32(-5) == -5
    assert mod.i32(2**31 - 1) == 2**31 - 1
    with pytest.raises(OverflowError):
        mod.i32(2**31)
    with pytest.raises(TypeError):
        mod.i32("1")
    assert mod.u64(2**64 - 1) == 2**64 - 1
    with pytest.raises(OverflowError):
        mod.u64(-1)
    assert mod.ssize(-2**63) == -2**63
    with pytest.raises(OverflowError):
        mod.ssize(2**63)
    assert mod.dbl(1.25) == 2.5
    assert mod.dbl(3) == 6.0
    with pytest.raises(TypeError):
        mod.dbl("x")


def test_unicode_and_bytes(make_module):
    mod = make_module("""
        HPyDef_METH(roundtrip, "roundtrip", HPyFunc_O)
        static HPy roundtrip_impl(HPyContext *ctx, HPy self, HPy arg)
        {
            HPy_ssize_t size;
            const char *s = HPyUnicode_AsUTF8AndSize(ctx, arg, &size);
            if (s == NULL)
                return HPy_NULL;
            return HPyBytes_FromStringAndSize(ctx, s, size);
        }
        HPyDef_METH(bsize, "bsize", HPyFunc_O)
        static HPy bsize_impl(HPyContext *ctx, HPy self, HPy arg)
        {
            if (!HPyBytes_Check(ctx, arg))
                return HPyErr_SetString(ctx, ctx->h_TypeError, "bytes expected");
            HPy_ssize_t n = HPyBytes_Size(ctx, arg);
            const char *p = HPyBytes_AsString(ctx, arg);
            HPy first = HPyUnicode_FromString(ctx, n ? (char[]){p[0], 0} : "");
            HPy len = HPyLong_FromSsize_t(ctx, n);
            HPy items[] = { len, first };
            HPy r = HPyTuple_FromArray(ctx, items, 2);
            HPy_Close(ctx, first);
            HPy_Close(ctx, len);
            return r;
        }
        @EXPORT(roundtrip)
        @EXPORT(bsize)
    """)
    assert mod.roundtrip("héllo\u20ac") == "héllo\u20ac".encode()
    assert mod.roundtrip("a\x00b") == b"a\x00b"
    with pytest.raises(TypeError):
        mod.roundtrip(b"bytes")
    with pytest.raises(UnicodeEncodeError):
        mod.roundtrip("\udc80")
    assert mod.bsize(b"xyz") == (3, "x")
    with pytest.raises(TypeError, match="bytes expected"):
        mod.bsize("xyz")


def test_containers(make_module):
    mod = make_module("""
        HPyDef_METH(build, "build", HPyFunc_VARARGS)
        static HPy build_impl(HPyContext *ctx, HPy self, const HPy *args, size_t n)
        {
            HPy lst = HPyList_New(ctx, 0);
            HPy d = HPyDict_New(ctx);
            for (size_t i = 0; i < n; i++) {
                if (HPyList_Append(ctx, lst, args[i]) < 0 ||
                    HPy_SetItem(ctx, d, args[i], lst) < 0) {
                    HPy_Close(ctx, lst);
                    HPy_Close(ctx, d);
                    return HPy_NULL;
                }
            }
            HPy keys = HPyDict_Keys(ctx, d);
            HPy items[] = { lst, d, keys };
            HPy r = HPyTuple_FromArray(ctx, items, 3);
            HPy_Close(ctx, lst);
            HPy_Close(ctx, d);
            HPy_Close(ctx, keys);
            return r;
        }
        HPyDef_METH(kinds, "kinds", HPyFunc_O)
        static HPy kinds_impl(HPyContext *ctx, HPy self, HPy arg)
        {
            return HPyLong_FromLong(ctx, HPyTuple_Check(ctx, arg) + 2 * HPyList_Check(ctx, arg)
                                         + 4 * HPyDict_Check(ctx, arg) + 8 * HPyUnicode_Check(ctx, arg));
        }
        @EXPORT(build)
        @EXPORT(kinds)
    """)
    lst, d, keys = mod.build(1, "a")
    assert lst == [1, "a"]
    assert d == {1: lst, "a": lst}
    assert keys == [1, "a"]
    with pytest.raises(TypeError):
        mod.build([])  # unhashable
    assert [mod.kinds(x) for x in [(), [], {}, "", 1]] == [1, 2, 4, 8, 0]
