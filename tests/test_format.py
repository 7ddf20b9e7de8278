"""HPyUnicode_FromFormat(V) and HPyErr_Format."""
import pytest

CASES = [
    # format, C arguments, expected
    ("plain text", "", "plain text"),
    ("100%%", "", "100%"),
    ("%d|%i|%u", "-5, 7, 4000000000u", "-5|7|4000000000"),
    ("%ld|%li|%lu", "-5L, 6L, 7UL", "-5|6|7"),
    ("%lld|%llu", "-9000000000LL, 18000000000ULL", "-9000000000|18000000000"),
    ("%zd|%zi|%zu", "(HPy_ssize_t)-3, (HPy_ssize_t)4, (size_t)5", "-3|4|5"),
    ("%x|%X|%o|%lx", "255, 255, 8, 4096L", "ff|FF|10|1000"),
    ("[%5d][%-5d][%05d][%.3d][%6.3d][%05d]", "42, 42, 42, 7, -7, -42",
     "[   42][42   ][00042][007][  -007][-0042]"),
    ("[%*d][%.*d]", "4, 1, 3, 2", "[   1][002]"),
    ("%c%c%c", "'a', 0xe9, 0x1F600", "a\xe9\U0001F600"),
    ("%s and %s", '"one", "tw\\xc3\\xb6"', "one and tw\xf6"),
    ("[%6s][%-6s][%.2s]", '"abc", "abc", "abcdef"', "[   abc][abc   ][ab]"),
    ("[%.2s]", '"\\xc3\\xa9\\xc3\\xa9"', "[\xe9]"),   # never half a character
    ("%U!", 'str', "h\xe9llo!"),
    ("[%4.2U]", 'str', "[  h\xe9]"),
    ("%V|%V", 'str, "unused", HPy_NULL, "fallback"', "h\xe9llo|fallback"),
    ("%S|%R|%A", "obj, obj, str", "h\xe9llo|'h\xe9llo'|'h\\xe9llo'"),
    ("%.3R", "obj", "'h\xe9"),
    ("nul:%c.", "0", "nul:\0."),
]


def test_formats(make_module):
    body = ""
    for n, (fmt, args, _) in enumerate(CASES):
        body += """
            HPyDef_METH(f{n}, "f{n}", HPyFunc_NOARGS)
            static HPy f{n}_impl(HPyContext *ctx, HPy self)
            {{
                HPy str = HPyUnicode_FromString(ctx, "h\\xc3\\xa9llo");
                HPy obj = str;
                HPy r = HPyUnicode_FromFormat(ctx, "{fmt}"{comma}{args});
                (void)obj;
                HPy_Close(ctx, str);
                return r;
            }}
            @EXPORT(f{n})
        """.format(n=n, fmt=fmt, comma=", " if args else "", args=args)
    mod = make_module(body)
    for n, (fmt, _, expected) in enumerate(CASES):
        assert getattr(mod, "f%d" % n)() == expected, fmt


def test_pointer(make_module):
    mod = make_module("""
        HPyDef_METH(f, "f", HPyFunc_NOARGS)
        static HPy f_impl(HPyContext *ctx, HPy self)
        {
            return HPyUnicode_FromFormat(ctx, "%p|%p", (void *)0x1234abcd, (void *)NULL);
        }
        @EXPORT(f)
    """)
    assert mod.f() == "0x1234abcd|0x0"


ERRORS = """
    HPyDef_METH(f, "f", HPyFunc_O)
    static HPy f_impl(HPyContext *ctx, HPy self, HPy which)
    {
        switch (HPyLong_AsLong(ctx, which)) {
        case 0: return HPyUnicode_FromFormat(ctx, "%q");
        case 1: return HPyUnicode_FromFormat(ctx, "%5c", 'a');
        case 2: return HPyUnicode_FromFormat(ctx, "%05s", "x");
        case 3: return HPyUnicode_FromFormat(ctx, "%c", 0x110000);
        case 4: return HPyUnicode_FromFormat(ctx, "%s", (const char *)NULL);
        case 5: return HPyUnicode_FromFormat(ctx, "%S", HPy_NULL);
        case 6: return HPyUnicode_FromFormat(ctx, "%U", HPy_NULL);
        case 7: return HPyUnicode_FromFormat(ctx, "caf\\xc3\\xa9 %d", 1);
        case 8: return HPyUnicode_FromFormat(ctx, "%U", ctx->h_None);
        case 9: return HPyUnicode_FromFormat(ctx, "%.2p", (void *)0);
        case 10: return HPyUnicode_FromFormat(ctx, "%");
        default: return HPyUnicode_FromFormat(ctx, "%R", self);
        }
    }
    @EXPORT(f)
"""


@pytest.mark.parametrize("which, exc, match", [
    (0, SystemError, "invalid format string"),
    (1, SystemError, "does not support width nor precision"),
    (2, SystemError, "does not support 0-padding"),
    (3, OverflowError, r"not in range\(0x110000\)"),
    (4, SystemError, "null c string"),
    (5, SystemError, "HPy_NULL passed"),
    (6, SystemError, "HPy_NULL passed"),
    (7, ValueError, "non-ASCII byte: 0xc3"),
    (8, SystemError, "requires a str"),
    (9, SystemError, "does not support width nor precision"),
    (10, SystemError, "invalid format string"),
])
def test_errors(make_module, which, exc, match):
    mod = make_module(ERRORS)
    with pytest.raises(exc, match=match):
        mod.f(which)
    assert mod.f(99).startswith("<module 'mytest'")


def test_err_format(make_module):
    mod = make_module("""
        HPyDef_METH(f, "f", HPyFunc_VARARGS)
        static HPy f_impl(HPyContext *ctx, HPy self, const HPy *args, size_t nargs)
        {
            if (HPyLong_AsLong(ctx, args[0]))
                return HPyErr_Format(ctx, ctx->h_KeyError, "%s %R", "bad key", args[1]);
            /* a failure while formatting is the error reported */
            return HPyErr_Format(ctx, ctx->h_KeyError, "%S", HPy_NULL);
        }
        @EXPORT(f)
    """)
    with pytest.raises(KeyError) as e:
        mod.f(1, [1, "x"])
    assert e.value.args == ("bad key [1, 'x']",)
    with pytest.raises(SystemError):
        mod.f(0, None)
