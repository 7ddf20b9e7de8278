"""HPyArg_Parse, HPyArg_ParseKeywords and HPyArg_ParseKeywordsDict.

The error messages of the argument-list checks are those of HPy 0.9.0
("function ..." / "name() ..." / the ';' message). Tests that use an
HPyTracker (the 'O' unit of the keyword parsers) need the tracker of the
runtime, which the universal runtime does not implement yet.
"""
import pytest

# unit, C type of the variable, expression turning `v` into the result
UNITS = [
    ("b", "unsigned char", "HPyLong_FromLong(ctx, v)"),
    ("B", "unsigned char", "HPyLong_FromLong(ctx, v)"),
    ("h", "short", "HPyLong_FromLong(ctx, v)"),
    ("H", "unsigned short", "HPyLong_FromLong(ctx, v)"),
    ("i", "int", "HPyLong_FromLong(ctx, v)"),
    ("I", "unsigned int", "HPyLong_FromUnsignedLong(ctx, v)"),
    ("l", "long", "HPyLong_FromLong(ctx, v)"),
    ("k", "unsigned long", "HPyLong_FromUnsignedLong(ctx, v)"),
    ("L", "long long", "HPyLong_FromLongLong(ctx, v)"),
    ("K", "unsigned long long", "HPyLong_FromUnsignedLongLong(ctx, v)"),
    ("n", "HPy_ssize_t", "HPyLong_FromSsize_t(ctx, v)"),
    ("f", "float", "HPyFloat_FromDouble(ctx, v)"),
    ("d", "double", "HPyFloat_FromDouble(ctx, v)"),
    ("p", "int", "HPyLong_FromLong(ctx, v)"),
    ("s", "const char *", "HPyUnicode_FromString(ctx, v)"),
    ("O", "HPy", "HPy_Dup(ctx, v)"),
]


def units_snippet():
    parts = []
    for unit, ctype, conv in UNITS:
        name = "u_" + ("upper_" if unit.isupper() else "") + unit.lower()
        parts.append("""
            HPyDef_METH({name}, "{name}", HPyFunc_VARARGS)
            static HPy {name}_impl(HPyContext *ctx, HPy self, const HPy *args, size_t nargs)
            {{
                {ctype} v;
                if (!HPyArg_Parse(ctx, NULL, args, nargs, "{unit}", &v))
                    return HPy_NULL;
                return {conv};
            }}
            @EXPORT({name})
        """.format(name=name, ctype=ctype, unit=unit, conv=conv))
    return "".join(parts)


@pytest.fixture
def units(make_module):
    mod = make_module(units_snippet(), name="argunits")
    return lambda unit: getattr(mod, "u_" + ("upper_" if unit.isupper() else "") + unit.lower())


def test_small_integers(units):
    b = units("b")
    assert (b(0), b(255)) == (0, 255)
    with pytest.raises(OverflowError) as e:
        b(256)
    assert str(e.value) == "function unsigned byte integer is greater than maximum"
    with pytest.raises(OverflowError) as e:
        b(-1)
    assert str(e.value) == "function unsigned byte integer is less than minimum"
    B = units("B")
    assert (B(255), B(256), B(-1)) == (255, 0, 255)
    h = units("h")
    assert (h(-2**15), h(2**15 - 1)) == (-2**15, 2**15 - 1)
    with pytest.raises(OverflowError, match="signed short integer is greater than maximum"):
        h(2**15)
    with pytest.raises(OverflowError, match="signed short integer is less than minimum"):
        h(-2**15 - 1)
    H = units("H")
    assert (H(2**16 - 1), H(2**16), H(-1)) == (2**16 - 1, 0, 2**16 - 1)


def test_integers(units):
    i = units("i")
    assert (i(-2**31), i(2**31 - 1)) == (-2**31, 2**31 - 1)
    with pytest.raises(OverflowError) as e:
        i(2**31)
    assert str(e.value) == "function signed integer is greater than maximum"
    with pytest.raises(OverflowError, match="signed integer is less than minimum"):
        i(-2**31 - 1)
    with pytest.raises(TypeError):
        i(1.5)
    with pytest.raises(TypeError):
        i("1")
    I = units("I")
    assert (I(2**32 - 1), I(2**32 + 5), I(-1)) == (2**32 - 1, 5, 2**32 - 1)
    for unit in "lLn":
        f = units(unit)
        assert (f(-2**63), f(2**63 - 1)) == (-2**63, 2**63 - 1)
        with pytest.raises(OverflowError):
            f(2**63)
    for unit in "kK":
        f = units(unit)
        assert (f(2**64 - 1), f(2**64), f(-1)) == (2**64 - 1, 0, 2**64 - 1)

    class Index:
        def __index__(self):
            return 7

    assert units("i")(Index()) == 7


def test_floats_and_truth(units):
    assert units("d")(0.1) == 0.1
    assert units("d")(3) == 3.0
    assert units("f")(0.5) == 0.5
    with pytest.raises(TypeError):
        units("d")("x")
    p = units("p")
    assert [p(x) for x in (0, 1, -1, [], [0], "", "0", None)] == [0, 1, 1, 0, 1, 0, 1, 0]

    class Bad:
        def __bool__(self):
            raise ZeroDivisionError

    with pytest.raises(ZeroDivisionError):
        p(Bad())


def test_strings_and_objects(units):
    s = units("s")
    assert s("hello") == "hello"
    assert s("h\xe9llo \u20ac") == "h\xe9llo \u20ac"
    with pytest.raises(TypeError) as e:
        s(b"bytes")
    assert str(e.value) == "function a str is required"
    with pytest.raises(ValueError) as e:
        s("a\0b")
    assert str(e.value) == "function embedded null character"
    o = units("O")
    obj = object()
    assert o(obj) is obj


TWO_ARGS = """
    HPyDef_METH(f, "f", HPyFunc_VARARGS)
    static HPy f_impl(HPyContext *ctx, HPy self, const HPy *args, size_t nargs)
    {{
        long a = -1, b = -2;
        if (!HPyArg_Parse(ctx, NULL, args, nargs, "{fmt}", &a, &b))
            return HPy_NULL;
        return HPy_BuildValue(ctx, "ll", a, b);
    }}
    @EXPORT(f)
"""


@pytest.mark.parametrize("fmt, call, exc, message", [
    ("ll", (1,), TypeError, "function required positional argument missing"),
    ("ll:add", (), TypeError, "add() required positional argument missing"),
    ("ll:add", (1, 2, 3), TypeError, "add() mismatched args (too many arguments for fmt)"),
    ("ll;custom message", (1, 2, 3), TypeError, "custom message"),
    ("lZ:add", (1, 2), SystemError, "add() unknown arg format code"),
    ("l$l:add", (1, 2), SystemError, "add() unknown arg format code"),
])
def test_parse_errors(make_module, fmt, call, exc, message):
    mod = make_module(TWO_ARGS.format(fmt=fmt))
    with pytest.raises(exc) as e:
        mod.f(*call)
    assert str(e.value) == message


def test_optional(make_module):
    mod = make_module(TWO_ARGS.format(fmt="l|l"))
    assert mod.f(5) == (5, -2)
    assert mod.f(5, 6) == (5, 6)
    mod = make_module(TWO_ARGS.format(fmt="|ll"))
    assert mod.f() == (-1, -2)
    # a conversion error is reported as it is, not as an argument-list error
    with pytest.raises(OverflowError):
        mod.f(2**70)


def test_parse_with_tracker(make_module):
    mod = make_module("""
        HPyDef_METH(f, "f", HPyFunc_VARARGS)
        static HPy f_impl(HPyContext *ctx, HPy self, const HPy *args, size_t nargs)
        {
            HPy a, b;
            HPyTracker ht;
            HPy result;
            if (!HPyArg_Parse(ctx, &ht, args, nargs, "OO", &a, &b))
                return HPy_NULL;
            result = HPy_Add(ctx, a, b);
            HPyTracker_Close(ctx, ht);
            return result;
        }
        @EXPORT(f)
    """)
    assert mod.f("a", "b") == "ab"
    with pytest.raises(TypeError):
        mod.f("a")


KEYWORDS = """
    HPyDef_METH(f, "f", HPyFunc_KEYWORDS)
    static HPy f_impl(HPyContext *ctx, HPy self, const HPy *args, size_t nargs,
                      HPy kwnames)
    {{
        long a = -1, b = -2, c = -3;
        static const char *kwlist[] = {{ {kwlist}, NULL }};
        if (!HPyArg_ParseKeywords(ctx, NULL, args, nargs, kwnames, "{fmt}",
                                  kwlist, &a, &b, &c))
            return HPy_NULL;
        return HPy_BuildValue(ctx, "lll", a, b, c);
    }}

    /* the same with the keywords in a dict: g(args_tuple, kwargs_dict) */
    HPyDef_METH(g, "g", HPyFunc_VARARGS)
    static HPy g_impl(HPyContext *ctx, HPy self, const HPy *args, size_t nargs)
    {{
        long a = -1, b = -2, c = -3;
        static const char *kwlist[] = {{ {kwlist}, NULL }};
        HPy items[8];
        HPy_ssize_t n = HPy_Length(ctx, args[0]), i;
        HPy kw = HPy_Is(ctx, args[1], ctx->h_None) ? HPy_NULL : args[1];
        int ok;
        for (i = 0; i < n && i < 8; i++)
            items[i] = HPy_GetItem_i(ctx, args[0], i);
        ok = HPyArg_ParseKeywordsDict(ctx, NULL, items, n, kw, "{fmt}",
                                      kwlist, &a, &b, &c);
        for (i = 0; i < n && i < 8; i++)
            HPy_Close(ctx, items[i]);
        if (!ok)
            return HPy_NULL;
        return HPy_BuildValue(ctx, "lll", a, b, c);
    }}
    @EXPORT(f)
    @EXPORT(g)
"""


def both(mod):
    """f and g as two callables with the same Python signature."""
    return [mod.f, lambda *a, **k: mod.g(a, k or None)]


def test_keywords(make_module):
    mod = make_module(KEYWORDS.format(kwlist='"a", "b", "c"', fmt="l|ll"))
    for f in both(mod):
        assert f(1) == (1, -2, -3)
        assert f(1, 2, 3) == (1, 2, 3)
        assert f(1, c=3) == (1, -2, 3)
        assert f(c=3, a=1, b=2) == (1, 2, 3)
        with pytest.raises(TypeError) as e:
            f(b=2)
        assert str(e.value) == "function no value for required argument"


def test_positional_and_keyword_only(make_module):
    mod = make_module(KEYWORDS.format(kwlist='"", "b", "c"', fmt="l|l$l:fn"))
    for f in both(mod):
        assert f(1, 2) == (1, 2, -3)
        assert f(1, b=2, c=3) == (1, 2, 3)
        with pytest.raises(TypeError) as e:
            f(1, 2, 3)
        assert str(e.value) == "fn() keyword only argument passed as positional argument"
        with pytest.raises(TypeError) as e:
            f(a=1)
        assert str(e.value) == "fn() no value for required argument"


def test_bad_keyword_arguments(make_module):
    mod = make_module(KEYWORDS.format(kwlist='"a", "b", "c"', fmt="|lll:fn"))
    for f in both(mod):
        with pytest.raises(TypeError) as e:
            f(1, d=4)
        assert str(e.value) == "fn() got an unexpected keyword argument 'd'"
        with pytest.raises(TypeError) as e:
            f(1, a=4)
        assert str(e.value) == "fn() got multiple values for argument 'a'"
        with pytest.raises(TypeError) as e:
            f(1, 2, 3, 4)
        assert str(e.value) == "fn() takes at most 3 arguments (4 given)"


@pytest.mark.parametrize("fmt, call, message", [
    ("llll", (1, 2, 3), "function mismatched args (too few keywords for fmt)"),
    ("ll:fn", (1, 2, 3), "fn() mismatched args (too many keywords for fmt)"),
    ("lll;my message", (1, 2), "my message"),
])
def test_keyword_format_mismatch(make_module, fmt, call, message):
    mod = make_module(KEYWORDS.format(kwlist='"a", "b", "c"', fmt=fmt))
    for f in both(mod):
        with pytest.raises(TypeError) as e:
            f(*call)
        assert str(e.value) == message


def test_empty_keyword_name(make_module):
    mod = make_module(KEYWORDS.format(kwlist='"", "b", ""', fmt="lll"))
    for f in both(mod):
        with pytest.raises(SystemError) as e:
            f(1, 2, 3)
        assert str(e.value) == "function empty keyword parameter name"


def test_keywords_O_needs_a_tracker(make_module):
    mod = make_module("""
        HPyDef_METH(f, "f", HPyFunc_KEYWORDS)
        static HPy f_impl(HPyContext *ctx, HPy self, const HPy *args, size_t nargs,
                          HPy kwnames)
        {
            HPy a;
            static const char *kwlist[] = { "a", NULL };
            if (!HPyArg_ParseKeywords(ctx, NULL, args, nargs, kwnames, "O", kwlist, &a))
                return HPy_NULL;
            return HPy_Dup(ctx, a);
        }
        @EXPORT(f)
    """)
    with pytest.raises(SystemError, match="unless an HPyTracker is provided"):
        mod.f(1)


def test_keywords_with_tracker(make_module):
    mod = make_module("""
        HPyDef_METH(f, "f", HPyFunc_KEYWORDS)
        static HPy f_impl(HPyContext *ctx, HPy self, const HPy *args, size_t nargs,
                          HPy kwnames)
        {
            HPy a, b = HPy_NULL, result;
            const char *s = "-";
            HPyTracker ht;
            static const char *kwlist[] = { "a", "b", "s", NULL };
            if (!HPyArg_ParseKeywords(ctx, &ht, args, nargs, kwnames, "O|Os",
                                      kwlist, &a, &b, &s))
                return HPy_NULL;
            result = HPy_BuildValue(ctx, "OOs", a, HPy_IsNull(b) ? ctx->h_None : b, s);
            HPyTracker_Close(ctx, ht);
            return result;
        }
        HPyDef_METH(g, "g", HPyFunc_VARARGS)
        static HPy g_impl(HPyContext *ctx, HPy self, const HPy *args, size_t nargs)
        {
            HPy a, b = HPy_NULL, result;
            const char *s = "-";
            HPyTracker ht;
            static const char *kwlist[] = { "a", "b", "s", NULL };
            if (!HPyArg_ParseKeywordsDict(ctx, &ht, NULL, 0, args[0], "O|Os",
                                          kwlist, &a, &b, &s))
                return HPy_NULL;
            result = HPy_BuildValue(ctx, "OOs", a, HPy_IsNull(b) ? ctx->h_None : b, s);
            HPyTracker_Close(ctx, ht);
            return result;
        }
        @EXPORT(f)
        @EXPORT(g)
    """)
    x, y = object(), object()
    assert mod.f(x) == (x, None, "-")
    assert mod.f(x, s="text", b=y) == (x, y, "text")
    assert mod.g({"a": x, "s": "from a dict"}) == (x, None, "from a dict")
    with pytest.raises(TypeError):
        mod.f(b=y)
    with pytest.raises(TypeError):
        mod.g({"a": x, "s": 42})


def test_keywords_in_the_wrong_container(make_module):
    # A dict given to HPyArg_ParseKeywords (as tp_new's keywords would be),
    # or a tuple of names to HPyArg_ParseKeywordsDict: C-level misuse that
    # gets a message naming the function to use instead.
    mod = make_module("""
        HPyDef_METH(f, "f", HPyFunc_VARARGS)
        static HPy f_impl(HPyContext *ctx, HPy self, const HPy *args, size_t nargs)
        {
            int a = 0;
            static const char *kwlist[] = { "a", NULL };
            if (!HPyArg_ParseKeywords(ctx, NULL, NULL, 0, args[0], "|i", kwlist, &a))
                return HPy_NULL;
            return HPy_Dup(ctx, ctx->h_None);
        }
        HPyDef_METH(g, "g", HPyFunc_VARARGS)
        static HPy g_impl(HPyContext *ctx, HPy self, const HPy *args, size_t nargs)
        {
            int a = 0;
            static const char *kwlist[] = { "a", NULL };
            if (!HPyArg_ParseKeywordsDict(ctx, NULL, NULL, 0, args[0], "|i", kwlist, &a))
                return HPy_NULL;
            return HPy_Dup(ctx, ctx->h_None);
        }
        @EXPORT(f)
        @EXPORT(g)
    """)
    with pytest.raises(SystemError, match="use HPyArg_ParseKeywordsDict"):
        mod.f({"a": 1})
    with pytest.raises(SystemError, match="use HPyArg_ParseKeywords\\)"):
        mod.g(("a",))
    assert mod.f(()) is None and mod.g({}) is None
