"""The object protocol, numbers and conversions of scalar types."""
import sys

import pytest

from support import upstream_bugs


def converter(name, ctype, as_c, result, error=None):
    """A snippet exporting the HPyFunc_O method `name`, which returns the C
    expression `result` of `v = as_c(ctx, arg)`, a value of `ctype`, or
    passes on the exception of `as_c` (its error value `error`, by default
    (ctype)-1, with an exception set)."""
    return """
        HPyDef_METH(%(name)s, "%(name)s", HPyFunc_O)
        static HPy %(name)s_impl(HPyContext *ctx, HPy self, HPy arg)
        {
            %(ctype)s v = %(as_c)s(ctx, arg);
            if (v == %(error)s && HPyErr_Occurred(ctx))
                return HPy_NULL;
            return %(result)s;
        }
        @EXPORT(%(name)s)
    """ % dict(name=name, ctype=ctype, as_c=as_c, result=result, error=error or "(%s)-1" % ctype)


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


def test_hasattr_clears_every_error_silently(make_module):
    # HPy_HasAttr is hasattr() that swallows any error of the lookup, as
    # PyObject_HasAttr did up to 3.12; since 3.13 that function reports such
    # errors as unraisable, which HPy code must not see.
    mod = make_module("""
        HPyDef_METH(has, "has", HPyFunc_VARARGS)
        static HPy has_impl(HPyContext *ctx, HPy self, const HPy *args, size_t n)
        {
            int a = HPy_HasAttr(ctx, args[0], args[1]);
            if (HPyErr_Occurred(ctx))
                return HPy_NULL;
            int b = HPy_HasAttr_s(ctx, args[0], "boom");
            if (HPyErr_Occurred(ctx))
                return HPy_NULL;
            return HPyLong_FromLong(ctx, a * 10 + b);
        }
        @EXPORT(has)
    """)

    class Raising:
        ok = 1

        def __getattr__(self, name):
            raise RuntimeError(name)

    unraisable = []
    old_hook = sys.unraisablehook
    sys.unraisablehook = unraisable.append
    try:
        assert mod.has(Raising(), "boom") == 0
        assert mod.has(Raising(), "ok") == 10
        assert mod.has(Raising, "ok") == 10
    finally:
        sys.unraisablehook = old_hook
    assert unraisable == []


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
    with pytest.raises(KeyError) as e:
        mod.get({}, "a")
    assert e.value.args == ("a",)
    # a tuple key is reported whole, as dict's own lookup does
    with pytest.raises(KeyError) as e:
        mod.get({(1, 2): 0}, (1, 3))
    assert e.value.args == ((1, 3),)
    with pytest.raises(TypeError, match="unhashable"):
        mod.get({}, [])
    class Boom:
        def __hash__(self):
            raise ZeroDivisionError
    with pytest.raises(ZeroDivisionError):
        mod.get({}, Boom())
    class Defaults(dict):
        def __missing__(self, key):
            return key * 2
    assert mod.get(Defaults(), "ab") == "abab"
    assert mod.get_s(Defaults()) == "keykey"
    value = object()
    assert mod.get({"v": value}, "v") is value
    assert mod.get_s({"key": 5}) == 5
    with pytest.raises(KeyError) as e:
        mod.get_s({})
    assert e.value.args == ("key",)
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
    mod = make_module(
        converter("i32", "int32_t", "HPyLong_AsInt32_t", "HPyLong_FromInt32_t(ctx, v)")
        + converter("u64", "uint64_t", "HPyLong_AsUInt64_t", "HPyLong_FromUInt64_t(ctx, v)")
        + converter("ssize", "HPy_ssize_t", "HPyLong_AsSsize_t", "HPyLong_FromSsize_t(ctx, v)")
        + converter("dbl", "double", "HPyFloat_AsDouble", "HPyFloat_FromDouble(ctx, v * 2)"))
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


def test_bytes_from_null(make_module):
    mod = make_module("""
        HPyDef_METH(f, "f", HPyFunc_O)
        static HPy f_impl(HPyContext *ctx, HPy self, HPy arg)
        {
            return HPyBytes_FromStringAndSize(ctx, NULL, HPyLong_AsSsize_t(ctx, arg));
        }
        @EXPORT(f)
    """)
    # CPython would return an uninitialized buffer to fill, which HPy forbids
    for n in (-1, 0, 3):
        with pytest.raises(ValueError) as e:
            mod.f(n)
        assert str(e.value) == "NULL char * passed to HPyBytes_FromStringAndSize"


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


class IndexOnly:
    """An integer-like object that is not an int: only __index__."""
    def __init__(self, v):
        self.v = v

    def __index__(self):
        return self.v


@pytest.mark.upstream_differs(upstream_bugs.UINT32_ERRORS)
def test_unsigned_32_bit_conversions(make_module):
    mod = make_module(
        converter("u32", "uint32_t", "HPyLong_AsUInt32_t", "HPyLong_FromUInt32_t(ctx, v)")
        + converter("u32mask", "uint32_t", "HPyLong_AsUInt32_tMask", "HPyLong_FromUInt32_t(ctx, v)")
        + """
        HPyDef_METH(u32max, "u32max", HPyFunc_NOARGS)
        static HPy u32max_impl(HPyContext *ctx, HPy self)
        {
            /* would come out as -1 if sign-extended anywhere */
            return HPyLong_FromUInt32_t(ctx, UINT32_MAX);
        }
        @EXPORT(u32max)
    """)
    assert mod.u32max() == 2**32 - 1
    assert mod.u32(0) == 0
    assert mod.u32(2**32 - 1) == 2**32 - 1
    assert mod.u32(True) == 1
    with pytest.raises(OverflowError, match="^Python int too large to convert to C uint32_t$"):
        mod.u32(2**32)
    with pytest.raises(OverflowError):          # too large for a C unsigned long already
        mod.u32(2**64)
    with pytest.raises(OverflowError, match="negative"):
        mod.u32(-1)
    # like PyLong_AsUnsignedLong: only ints, __index__ is not called
    for bad in (IndexOnly(1), 1.0, "1", None):
        with pytest.raises(TypeError):
            mod.u32(bad)
    # the Mask variant keeps the value modulo 2**32 (PyLong_AsUnsignedLongMask)
    assert mod.u32mask(5) == 5
    assert mod.u32mask(2**32 + 5) == 5
    assert mod.u32mask(2**100 + 7) == 7
    assert mod.u32mask(-1) == 2**32 - 1
    assert mod.u32mask(-2**32 - 2) == 2**32 - 2
    assert mod.u32mask(IndexOnly(2**32 + 3)) == 3   # it does call __index__
    for bad in (1.0, "1", None):
        with pytest.raises(TypeError):
            mod.u32mask(bad)


def test_size_t_pointer_and_double_conversions(make_module):
    mod = make_module("""
        static int some_static;

        HPyDef_METH(static_ptr, "static_ptr", HPyFunc_NOARGS)
        static HPy static_ptr_impl(HPyContext *ctx, HPy self)
        {
            return HPyLong_FromSize_t(ctx, (size_t)&some_static);
        }
        @EXPORT(static_ptr)
    """
        + converter("size", "size_t", "HPyLong_AsSize_t", "HPyLong_FromSize_t(ctx, v)")
        + converter("ptr", "void *", "HPyLong_AsVoidPtr", "HPyLong_FromSize_t(ctx, (size_t)v)", error="NULL")
        + converter("is_static_ptr", "void *", "HPyLong_AsVoidPtr",
                    "HPyBool_FromBool(ctx, v == (void *)&some_static)", error="NULL")
        + converter("dbl", "double", "HPyLong_AsDouble", "HPyFloat_FromDouble(ctx, v)"))
    import sys
    bits = 8 * __import__("struct").calcsize("P")
    # PyLong_AsSize_t: ints only, no negative values
    assert mod.size(0) == 0
    assert mod.size(2**bits - 1) == 2**bits - 1
    with pytest.raises(OverflowError):
        mod.size(2**bits)
    with pytest.raises(OverflowError, match="negative"):
        mod.size(-1)
    for bad in (IndexOnly(1), 1.0, "1"):
        with pytest.raises(TypeError):
            mod.size(bad)
    # PyLong_AsVoidPtr: the whole unsigned range, and negative values that
    # fit a signed pointer-sized integer (they wrap around)
    assert mod.is_static_ptr(mod.static_ptr()) is True
    assert mod.ptr(0) == 0
    assert mod.ptr(2**bits - 1) == 2**bits - 1
    assert mod.ptr(-1) == 2**bits - 1
    assert mod.ptr(-2**(bits - 1)) == 2**(bits - 1)
    with pytest.raises(OverflowError):
        mod.ptr(2**bits)
    with pytest.raises(OverflowError):
        mod.ptr(-2**(bits - 1) - 1)
    for bad in (IndexOnly(1), 1.0, "1"):
        with pytest.raises(TypeError):
            mod.ptr(bad)
    # PyLong_AsDouble: ints only (not floats, not __index__), rounded to nearest
    assert mod.dbl(-3) == -3.0 and type(mod.dbl(-3)) is float
    assert mod.dbl(2**53 + 1) == 2.0**53
    assert mod.dbl(sys.float_info.max.__int__()) == sys.float_info.max
    with pytest.raises(OverflowError, match="too large to convert to float"):
        mod.dbl(2**1024)
    for bad in (1.5, IndexOnly(1), "1"):
        with pytest.raises(TypeError):
            mod.dbl(bad)


def test_number_check_and_callable_check(make_module):
    mod = make_module("""
        HPyDef_METH(checks, "checks", HPyFunc_O)
        static HPy checks_impl(HPyContext *ctx, HPy self, HPy arg)
        {
            /* neither check can fail: no exception may be pending */
            int r = HPyNumber_Check(ctx, arg) + 2 * HPyCallable_Check(ctx, arg);
            if (HPyErr_Occurred(ctx))
                return HPy_NULL;
            return HPyLong_FromLong(ctx, r);
        }
        @EXPORT(checks)
    """)

    class IntOnly:
        def __int__(self):
            return 1

    class FloatOnly:
        def __float__(self):
            return 1.0

    class Call:
        def __call__(self):
            pass

    class Getattr:
        # only the type's slots count, not the instance's attributes
        def __getattr__(self, name):
            return lambda *a: 1

    for number in (0, True, 1.5, 1j, IndexOnly(1), IntOnly(), FloatOnly(), __import__("fractions").Fraction(1, 3)):
        assert mod.checks(number) == 1, number
    for callable_ in (len, int, lambda: 1, Call(), Call, mod.checks, [].append):
        assert mod.checks(callable_) == 2, callable_
    for neither in ("1", b"1", None, [], object(), Getattr()):
        assert mod.checks(neither) == 0, neither
    assert mod.checks(IndexOnly) == 2      # a class: callable, not a number


def test_unary_number_ops(make_module):
    mod = make_module("""
        #define UNARY(NAME, FUNC) \\
            HPyDef_METH(NAME, #NAME, HPyFunc_O) \\
            static HPy NAME##_impl(HPyContext *ctx, HPy self, HPy arg) { return FUNC(ctx, arg); }
        UNARY(neg, HPy_Negative)
        UNARY(pos, HPy_Positive)
        UNARY(abs_, HPy_Absolute)
        UNARY(inv, HPy_Invert)
        UNARY(index_, HPy_Index)
        UNARY(long_, HPy_Long)
        UNARY(float_, HPy_Float)
        @EXPORT(neg)
        @EXPORT(pos)
        @EXPORT(abs_)
        @EXPORT(inv)
        @EXPORT(index_)
        @EXPORT(long_)
        @EXPORT(float_)
    """)

    class Dunders:
        def __neg__(self): return "neg"
        def __pos__(self): return "pos"
        def __abs__(self): return "abs"
        def __invert__(self): return "inv"

    class IntOnly:
        def __int__(self):
            return 42

    class FloatOnly:
        def __float__(self):
            return 2.5

    class BadIndex:
        def __index__(self):
            return 1.5

    d = Dunders()
    assert (mod.neg(5), mod.neg(-2.5), mod.neg(d)) == (-5, 2.5, "neg")
    assert (mod.pos(-5), mod.pos(True), mod.pos(d)) == (-5, 1, "pos")
    assert type(mod.pos(True)) is int
    assert (mod.abs_(-5), mod.abs_(-2.5), mod.abs_(3 + 4j), mod.abs_(d)) == (5, 2.5, 5.0, "abs")
    assert (mod.inv(5), mod.inv(d)) == (-6, "inv")
    for f in (mod.neg, mod.pos, mod.abs_, mod.inv):
        with pytest.raises(TypeError, match="bad operand type"):
            f("x")
    with pytest.raises(TypeError):
        mod.inv(1.5)
    # HPy_Index: PyNumber_Index, ints and __index__ only
    assert mod.index_(7) == 7
    assert mod.index_(IndexOnly(2**70)) == 2**70
    assert type(mod.index_(True)) is int and mod.index_(True) == 1
    for bad in (1.5, "1", IntOnly()):
        with pytest.raises(TypeError):
            mod.index_(bad)
    # CPython's wording changed in 3.15
    with pytest.raises(TypeError, match="returned non-int|must return an int"):
        mod.index_(BadIndex())
    # HPy_Long: int(x), including strings and floats
    assert mod.long_(7.9) == 7 and mod.long_(-7.9) == -7
    assert mod.long_(" 12 ") == 12 and mod.long_(b"13") == 13
    assert mod.long_(IntOnly()) == 42 and mod.long_(IndexOnly(3)) == 3
    assert type(mod.long_(True)) is int
    with pytest.raises(ValueError):
        mod.long_("x")
    with pytest.raises(OverflowError):
        mod.long_(float("inf"))
    for bad in (None, 1j, FloatOnly()):
        with pytest.raises(TypeError):
            mod.long_(bad)
    # HPy_Float: float(x)
    assert mod.float_(3) == 3.0 and type(mod.float_(3)) is float
    assert mod.float_("1.5") == 1.5 and mod.float_(FloatOnly()) == 2.5
    assert mod.float_(IndexOnly(4)) == 4.0
    with pytest.raises(ValueError):
        mod.float_("x")
    with pytest.raises(OverflowError):
        mod.float_(2**1024)
    for bad in (None, 1j, IntOnly()):
        with pytest.raises(TypeError):
            mod.float_(bad)


def test_power_and_matrix_multiply(make_module):
    mod = make_module("""
        HPyDef_METH(power, "power", HPyFunc_VARARGS)
        static HPy power_impl(HPyContext *ctx, HPy self, const HPy *args, size_t n)
        {
            return HPy_Power(ctx, args[0], args[1], n > 2 ? args[2] : ctx->h_None);
        }
        HPyDef_METH(matmul, "matmul", HPyFunc_VARARGS)
        static HPy matmul_impl(HPyContext *ctx, HPy self, const HPy *args, size_t n)
        {
            return HPy_MatrixMultiply(ctx, args[0], args[1]);
        }
        @EXPORT(power)
        @EXPORT(matmul)
    """)
    assert mod.power(2, 10) == 1024
    assert mod.power(2, -1) == 0.5
    assert mod.power(2.0, 0.5) == 2.0 ** 0.5
    assert mod.power(2, 10, 1000) == 24
    assert mod.power(2, -1, 5) == 3          # modular inverse
    with pytest.raises(ValueError):
        mod.power(2, -1, 4)                  # not invertible
    with pytest.raises(TypeError):
        mod.power(2.0, 2, 3)                 # 3-argument pow needs ints
    with pytest.raises(ZeroDivisionError):
        mod.power(0, -1)
    with pytest.raises(TypeError):
        mod.power("a", 2)

    class M:
        def __init__(self, v):
            self.v = v

        def __matmul__(self, other):
            return ("matmul", self.v, other)

        def __rmatmul__(self, other):
            return ("rmatmul", self.v, other)

    assert mod.matmul(M(1), 2) == ("matmul", 1, 2)
    assert mod.matmul(2, M(1)) == ("rmatmul", 1, 2)
    with pytest.raises(TypeError, match="@"):
        mod.matmul(1, 2)


INPLACE_OPS = [
    # (C function, dunder, Python operator)
    ("HPy_InPlaceAdd", "iadd", "+="),
    ("HPy_InPlaceSubtract", "isub", "-="),
    ("HPy_InPlaceMultiply", "imul", "*="),
    ("HPy_InPlaceMatrixMultiply", "imatmul", "@="),
    ("HPy_InPlaceFloorDivide", "ifloordiv", "//="),
    ("HPy_InPlaceTrueDivide", "itruediv", "/="),
    ("HPy_InPlaceRemainder", "imod", "%="),
    ("HPy_InPlaceLshift", "ilshift", "<<="),
    ("HPy_InPlaceRshift", "irshift", ">>="),
    ("HPy_InPlaceAnd", "iand", "&="),
    ("HPy_InPlaceXor", "ixor", "^="),
    ("HPy_InPlaceOr", "ior", "|="),
    ("HPy_InPlacePower", "ipow", "**="),
]


def _inplace_snippet():
    parts = []
    for cname, dunder, _ in INPLACE_OPS:
        if cname == "HPy_InPlacePower":
            call = "HPy_InPlacePower(ctx, args[0], args[1], n > 2 ? args[2] : ctx->h_None)"
        else:
            call = "%s(ctx, args[0], args[1])" % cname
        parts.append("""
            HPyDef_METH(%(d)s, "%(d)s", HPyFunc_VARARGS)
            static HPy %(d)s_impl(HPyContext *ctx, HPy self, const HPy *args, size_t n)
            {
                return %(call)s;
            }
            @EXPORT(%(d)s)
        """ % {"d": dunder, "call": call})
    return "\n".join(parts)


def test_inplace_number_ops(make_module):
    mod = make_module(_inplace_snippet())

    class Mutable:
        """Has every __i<op>__: the in-place op updates it and returns it."""
        def __init__(self):
            self.log = []

    class Immutable:
        """Only the binary ops: the in-place op falls back to them."""
        def __init__(self, v):
            self.v = v

    for _, dunder, _ in INPLACE_OPS:
        def ip(self, other, _name=dunder):
            self.log.append((_name, other))
            return self

        def binop(self, other, _name=dunder[1:]):
            return Immutable((_name, self.v, other))
        setattr(Mutable, "__%s__" % dunder, ip)
        setattr(Immutable, "__%s__" % dunder[1:], binop)

    for _, dunder, pyop in INPLACE_OPS:
        f = getattr(mod, dunder)
        m = Mutable()
        assert f(m, 3) is m, dunder
        assert m.log == [(dunder, 3)]
        im = Immutable(1)
        r = f(im, 3)
        assert r is not im and r.v == (dunder[1:], 1, 3)
        if dunder != "imatmul":
            # ints are immutable: the result equals the augmented assignment's
            x = 17
            exec("x %s 5" % pyop, {}, ns := {"x": x})
            assert f(17, 5) == ns["x"], dunder
        with pytest.raises(TypeError):
            f(None, 1)

    # mutable builtins are updated in place
    lst = [1]
    assert mod.iadd(lst, (2, 3)) is lst and lst == [1, 2, 3]
    assert mod.imul(lst, 2) is lst and lst == [1, 2, 3] * 2
    s = {1, 2, 3}
    assert mod.iand(s, {2, 3, 4}) is s and s == {2, 3}
    assert mod.ior(s, {5}) is s and s == {2, 3, 5}
    assert mod.ixor(s, {3, 6}) is s and s == {2, 5, 6}
    assert mod.isub(s, {2}) is s and s == {5, 6}
    # immutable ones give a new object
    t = (1,)
    r = mod.iadd(t, (2,))
    assert r == (1, 2) and t == (1,)
    with pytest.raises(TypeError):
        mod.iadd(lst, 1)                     # list += int
    with pytest.raises(ZeroDivisionError):
        mod.itruediv(1, 0)
    with pytest.raises(ZeroDivisionError):
        mod.ifloordiv(1, 0)
    with pytest.raises(ZeroDivisionError):
        mod.imod(1, 0)
    with pytest.raises(TypeError):
        mod.imatmul(1, 2)
    # the third argument of HPy_InPlacePower: modular power
    assert mod.ipow(2, 10, 1000) == 24
    assert mod.ipow(2, 10, None) == 1024
    with pytest.raises(TypeError):
        mod.ipow(2.0, 2, 3)


def test_getattr_with_a_handle_name(make_module):
    mod = make_module("""
        HPyDef_METH(getattr_, "getattr_", HPyFunc_VARARGS)
        static HPy getattr__impl(HPyContext *ctx, HPy self, const HPy *args, size_t n)
        {
            return HPy_GetAttr(ctx, args[0], args[1]);
        }
        @EXPORT(getattr_)
    """)

    class C:
        x = 1

        @property
        def broken(self):
            raise KeyError("inside")

        def __getattr__(self, name):
            if name == "dynamic":
                return "dyn"
            raise AttributeError(name)

    c = C()
    assert mod.getattr_(c, "x") == 1
    assert mod.getattr_(c, "dynamic") == "dyn"
    assert mod.getattr_(c, "__class__") is C
    assert mod.getattr_(3, "real") == 3
    with pytest.raises(AttributeError):
        mod.getattr_(c, "missing")
    with pytest.raises(KeyError, match="inside"):
        mod.getattr_(c, "broken")
    with pytest.raises(TypeError, match="attribute name must be string"):
        mod.getattr_(c, 1)


def test_hash(make_module):
    mod = make_module("""
        HPyDef_METH(hash_, "hash_", HPyFunc_O)
        static HPy hash__impl(HPyContext *ctx, HPy self, HPy arg)
        {
            HPy_hash_t h = HPy_Hash(ctx, arg);
            if (h == -1) {
                if (!HPyErr_Occurred(ctx))
                    return HPyErr_SetString(ctx, ctx->h_SystemError, "-1 without an exception");
                return HPy_NULL;
            }
            return HPyLong_FromSsize_t(ctx, h);
        }
        @EXPORT(hash_)
    """)

    class H:
        def __hash__(self):
            return 2**80 + 5          # reduced by CPython, as hash() does

    class MinusOne:
        def __hash__(self):
            return -1                 # -1 is the error value: CPython uses -2

    class Raises:
        def __hash__(self):
            raise RuntimeError("no hash")

    class Eq:
        def __eq__(self, other):      # __eq__ without __hash__: unhashable
            return True

    for obj in ("abc", b"abc", 12345, 2**100, -1, 1.5, (1, "a"), frozenset({1}), None, H(), MinusOne(), len):
        assert mod.hash_(obj) == hash(obj), obj
    assert mod.hash_(MinusOne()) == -2
    for unhashable in ([], {}, set(), ([],), Eq()):
        with pytest.raises(TypeError, match="unhashable"):
            mod.hash_(unhashable)
    with pytest.raises(RuntimeError, match="no hash"):
        mod.hash_(Raises())


def test_bytes_conversion_and_macros(make_module):
    mod = make_module("""
        HPyDef_METH(to_bytes, "to_bytes", HPyFunc_O)
        static HPy to_bytes_impl(HPyContext *ctx, HPy self, HPy arg)
        {
            return HPy_Bytes(ctx, arg);
        }
        HPyDef_METH(copy_bytes, "copy_bytes", HPyFunc_O)
        static HPy copy_bytes_impl(HPyContext *ctx, HPy self, HPy arg)
        {
            /* the unchecked macros: only for objects known to be bytes */
            if (!HPyBytes_Check(ctx, arg))
                return HPyErr_SetString(ctx, ctx->h_TypeError, "bytes expected");
            HPy_ssize_t n = HPyBytes_GET_SIZE(ctx, arg);
            const char *s = HPyBytes_AS_STRING(ctx, arg);
            if (s[n] != '\\0')    /* bytes objects keep a terminating NUL */
                return HPyErr_SetString(ctx, ctx->h_SystemError, "no terminating NUL");
            return HPyBytes_FromStringAndSize(ctx, s, n);
        }
        @EXPORT(to_bytes)
        @EXPORT(copy_bytes)
    """)

    class WithBytes:
        def __bytes__(self):
            return b"from __bytes__"

    class BadBytes:
        def __bytes__(self):
            return "not bytes"

    class SubBytes(bytes):
        pass

    b = b"exact"
    assert mod.to_bytes(b) is b            # PyObject_Bytes: exact bytes as they are
    r = mod.to_bytes(SubBytes(b"sub"))
    assert r == b"sub" and type(r) is bytes
    assert mod.to_bytes(WithBytes()) == b"from __bytes__"
    assert mod.to_bytes(bytearray(b"ba")) == b"ba"
    assert mod.to_bytes(memoryview(b"mv")) == b"mv"
    assert mod.to_bytes([65, 66]) == b"AB"
    assert mod.to_bytes(iter([67])) == b"C"
    with pytest.raises(TypeError, match=r"__bytes__ returned non-bytes|__bytes__\(\) must return a bytes"):
        mod.to_bytes(BadBytes())
    with pytest.raises(TypeError):
        mod.to_bytes("str")
    # unlike bytes(5), which makes 5 zero bytes
    with pytest.raises(TypeError, match="cannot convert 'int' object to bytes"):
        mod.to_bytes(5)
    with pytest.raises(ValueError):
        mod.to_bytes([256])

    for data in (b"", b"a\x00b", bytes(range(256)), SubBytes(b"xy")):
        out = mod.copy_bytes(data)
        assert out == data and type(out) is bytes
    with pytest.raises(TypeError, match="bytes expected"):
        mod.copy_bytes(bytearray(b"x"))


def test_unicode_encoders(make_module):
    mod = make_module("""
        HPyDef_METH(ascii, "ascii", HPyFunc_O)
        static HPy ascii_impl(HPyContext *ctx, HPy self, HPy arg)
        {
            return HPyUnicode_AsASCIIString(ctx, arg);
        }
        HPyDef_METH(latin1, "latin1", HPyFunc_O)
        static HPy latin1_impl(HPyContext *ctx, HPy self, HPy arg)
        {
            return HPyUnicode_AsLatin1String(ctx, arg);
        }
        HPyDef_METH(utf8, "utf8", HPyFunc_O)
        static HPy utf8_impl(HPyContext *ctx, HPy self, HPy arg)
        {
            return HPyUnicode_AsUTF8String(ctx, arg);
        }
        @EXPORT(ascii)
        @EXPORT(latin1)
        @EXPORT(utf8)
    """)

    class SubStr(str):
        pass

    for s in ("", "abc", "a\x00b", SubStr("sub")):
        for f in (mod.ascii, mod.latin1, mod.utf8):
            r = f(s)
            assert r == str(s).encode("ascii") and type(r) is bytes
    assert mod.latin1("caf\xe9\xff") == b"caf\xe9\xff"
    assert mod.utf8("caf\xe9\u20ac\U0001f600") == "caf\xe9\u20ac\U0001f600".encode("utf-8")

    def encode_error(f, s):
        with pytest.raises(UnicodeEncodeError) as e:
            f(s)
        return e.value.encoding, e.value.object, e.value.start, e.value.end

    assert encode_error(mod.ascii, "ab\xe9\xe9c") == ("ascii", "ab\xe9\xe9c", 2, 4)
    assert encode_error(mod.latin1, "x\u20ac") == ("latin-1", "x\u20ac", 1, 2)
    assert encode_error(mod.utf8, "a\udc80") == ("utf-8", "a\udc80", 1, 2)
    for f in (mod.ascii, mod.latin1, mod.utf8):
        with pytest.raises(TypeError):
            f(b"bytes")
        with pytest.raises(TypeError):
            f(None)


def test_delete_items(make_module):
    mod = make_module("""
        HPyDef_METH(del_, "del_", HPyFunc_VARARGS)
        static HPy del__impl(HPyContext *ctx, HPy self, const HPy *args, size_t n)
        {
            if (HPy_DelItem(ctx, args[0], args[1]) < 0)
                return HPy_NULL;
            return HPy_Dup(ctx, ctx->h_None);
        }
        HPyDef_METH(del_i, "del_i", HPyFunc_VARARGS)
        static HPy del_i_impl(HPyContext *ctx, HPy self, const HPy *args, size_t n)
        {
            HPy_ssize_t i = HPyLong_AsSsize_t(ctx, args[1]);
            if (i == -1 && HPyErr_Occurred(ctx))
                return HPy_NULL;
            if (HPy_DelItem_i(ctx, args[0], i) < 0)
                return HPy_NULL;
            return HPy_Dup(ctx, ctx->h_None);
        }
        HPyDef_METH(del_s, "del_s", HPyFunc_VARARGS)
        static HPy del_s_impl(HPyContext *ctx, HPy self, const HPy *args, size_t n)
        {
            const char *key = HPyUnicode_AsUTF8AndSize(ctx, args[1], NULL);
            if (key == NULL)
                return HPy_NULL;
            if (HPy_DelItem_s(ctx, args[0], key) < 0)
                return HPy_NULL;
            return HPy_Dup(ctx, ctx->h_None);
        }
        @EXPORT(del_)
        @EXPORT(del_i)
        @EXPORT(del_s)
    """)
    d = {"a": 1, 2: "two", (1, 2): 3, "\u20ac": 4}
    assert mod.del_(d, (1, 2)) is None and (1, 2) not in d
    assert mod.del_i(d, 2) is None and 2 not in d       # an int key, as PyObject_DelItem
    assert mod.del_s(d, "a") is None and "a" not in d
    assert mod.del_s(d, "\u20ac") is None and d == {}   # UTF-8 keys
    for f, key in ((mod.del_, "x"), (mod.del_i, 5), (mod.del_s, "x")):
        with pytest.raises(KeyError):
            f({}, key)
    with pytest.raises(TypeError, match="unhashable"):
        mod.del_({}, [])

    lst = list(range(6))
    mod.del_(lst, 0)
    mod.del_(lst, slice(0, 2))
    mod.del_i(lst, -1)                 # negative indices count from the end
    mod.del_i(lst, 0)
    assert lst == [4]
    with pytest.raises(IndexError):
        mod.del_i(lst, 1)
    with pytest.raises(IndexError):
        mod.del_i(lst, -2)
    with pytest.raises(TypeError):
        mod.del_s(lst, "0")            # list indices must be integers

    class Deleter:
        def __init__(self):
            self.deleted = []

        def __delitem__(self, key):
            self.deleted.append(key)

    dl = Deleter()
    mod.del_(dl, "k")
    mod.del_i(dl, -3)
    mod.del_s(dl, "s")
    assert dl.deleted == ["k", -3, "s"]
    for immutable in ((1, 2), "ab", b"ab", frozenset()):
        with pytest.raises(TypeError, match="doesn't support item deletion|not subscriptable|does not support"):
            mod.del_i(immutable, 0)
    with pytest.raises(TypeError):
        mod.del_s(3, "x")


def test_dict_copy(make_module):
    mod = make_module("""
        HPyDef_METH(copy, "copy", HPyFunc_O)
        static HPy copy_impl(HPyContext *ctx, HPy self, HPy arg)
        {
            return HPyDict_Copy(ctx, arg);
        }
        @EXPORT(copy)
    """)
    inner = [1]
    d = {"a": inner, 1: "one"}
    c = mod.copy(d)
    assert c == d and c is not d and type(c) is dict
    assert c["a"] is inner                  # shallow: the values are shared
    c["b"] = 2
    del c[1]
    assert d == {"a": [1], 1: "one"}        # the original is untouched
    inner.append(2)
    assert c["a"] == [1, 2]
    assert mod.copy({}) == {}
    assert list(mod.copy(dict.fromkeys("zyxw"))) == list("zyxw")   # order kept

    import collections
    od = collections.OrderedDict(b=1, a=2)
    co = mod.copy(od)
    assert type(co) is dict and list(co) == ["b", "a"]       # a plain dict
    dd = collections.defaultdict(list, k=[0])
    cd = mod.copy(dd)
    assert type(cd) is dict and cd == {"k": [0]}
    # like PyDict_Copy: anything but a dict (subclass) is an internal error
    for not_a_dict in ([], (), None, collections.UserDict(a=1), {}.keys(), __import__("types").MappingProxyType({})):
        with pytest.raises(SystemError, match="bad argument to internal function"):
            mod.copy(not_a_dict)
