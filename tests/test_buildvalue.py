"""HPy_BuildValue."""
import sys

import pytest

CASES = [
    # format, C arguments, expected value
    ("", "", None),
    ("i", "42", 42),
    ("i", "-1", -1),
    ("b", "(char)-3", -3),
    ("B", "(unsigned char)250", 250),
    ("h", "(short)-300", -300),
    ("H", "(unsigned short)65000", 65000),
    ("I", "4000000000u", 4000000000),
    ("l", "-123456789L", -123456789),
    ("k", "ULONG_MAX", 2**64 - 1),
    ("L", "LLONG_MIN", -2**63),
    ("K", "ULLONG_MAX", 2**64 - 1),
    ("n", "(HPy_ssize_t)-5", -5),
    ("f", "0.25f", 0.25),
    ("d", "1.5", 1.5),
    ("c", "'x'", b"x"),
    ("s", '"h\\xc3\\xa9llo"', "h\xe9llo"),
    ("s", "(const char *)NULL", None),
    ("s#", '"abcdef", (HPy_ssize_t)3', "abc"),
    ("s#", '"a\\0b", (HPy_ssize_t)3', "a\0b"),
    ("z", "(const char *)NULL", None),
    ("y", '"bytes"', b"bytes"),
    ("y#", '"by\\0tes", (HPy_ssize_t)4', b"by\0t"),
    ("ii", "1, 2", (1, 2)),
    ("(i)", "7", (7,)),
    ("()", "", ()),
    ("[]", "", []),
    ("{}", "", {}),
    ("[i, s]", '1, "x"', [1, "x"]),
    ("{s:i, s:(ii)}", '"a", 1, "b", 2, 3', {"a": 1, "b": (2, 3)}),
    ("{i:s}", '1, "one"', {1: "one"}),
    ("{ s : i ,s:i,}", '"a", 1, "b", 2', {"a": 1, "b": 2}),
    ("(i,[(s)],{})", '1, "x"', (1, [("x",)], {})),
    ("i i\t,i", "1, 2, 3", (1, 2, 3)),
    ("[" + "i" * 20 + "]", ", ".join(str(i) for i in range(20)), list(range(20))),
    ("i" * 20, ", ".join(str(i) for i in range(20)), tuple(range(20))),
]


def test_formats(make_module):
    body = "            #include <limits.h>\n"
    for n, (fmt, args, _) in enumerate(CASES):
        body += """
            HPyDef_METH(f{n}, "f{n}", HPyFunc_NOARGS)
            static HPy f{n}_impl(HPyContext *ctx, HPy self)
            {{
                return HPy_BuildValue(ctx, "{fmt}"{comma}{args});
            }}
            @EXPORT(f{n})
        """.format(n=n, fmt=fmt.replace("\t", "\\t"), comma=", " if args else "", args=args)
    mod = make_module(body)
    for n, (fmt, _, expected) in enumerate(CASES):
        result = getattr(mod, "f%d" % n)()
        assert result == expected and type(result) is type(expected), fmt


OBJECTS = """
    HPyDef_METH(f, "f", HPyFunc_VARARGS)
    static HPy f_impl(HPyContext *ctx, HPy self, const HPy *args, size_t nargs)
    {
        HPy fresh = HPyLong_FromLong(ctx, 1000);
        HPy result;
        switch (HPyLong_AsLong(ctx, args[0])) {
        case 0: result = HPy_BuildValue(ctx, "O", args[1]); break;
        case 1: result = HPy_BuildValue(ctx, "(SO)", args[1], fresh); break;
        case 2: result = HPy_BuildValue(ctx, "{O:[O]}", args[1], fresh); break;
        default: result = HPy_NULL;
        }
        HPy_Close(ctx, fresh);
        return result;
    }
    HPyDef_METH(null, "null", HPyFunc_O)
    static HPy null_impl(HPyContext *ctx, HPy self, HPy set_error)
    {
        if (HPy_IsTrue(ctx, set_error))
            HPyErr_SetString(ctx, ctx->h_ValueError, "the earlier error");
        return HPy_BuildValue(ctx, "(iO)", 1, HPy_NULL);
    }
    HPyDef_METH(steal, "steal", HPyFunc_O)
    static HPy steal_impl(HPyContext *ctx, HPy self, HPy obj)
    {
        return HPy_BuildValue(ctx, "N", obj);
    }
    @EXPORT(f)
    @EXPORT(null)
    @EXPORT(steal)
"""


def test_objects(make_module):
    mod = make_module(OBJECTS)
    obj = object()
    refs = sys.getrefcount(obj)
    assert mod.f(0, obj) is obj
    assert mod.f(1, obj) == (obj, 1000)
    assert mod.f(2, "key") == {"key": [1000]}
    assert sys.getrefcount(obj) == refs, "the caller's handle stays the caller's"
    with pytest.raises(SystemError, match="HPy_NULL object passed to HPy_BuildValue"):
        mod.null(False)
    with pytest.raises(ValueError, match="the earlier error"):
        mod.null(True)
    with pytest.raises(SystemError, match="'N'"):
        mod.steal(obj)
    assert sys.getrefcount(obj) == refs


@pytest.mark.parametrize("fmt, message", [
    ("(q)", "bad format char 'q' in the format string passed to HPy_BuildValue"),
    ("(i", "unmatched '(' in the format string passed to HPy_BuildValue"),
    ("[i", "unmatched '[' in the format string passed to HPy_BuildValue"),
    ("([(i)k", "unmatched '(' in the format string passed to HPy_BuildValue"),
    ("(i]", "unmatched '(' in the format string passed to HPy_BuildValue"),
    ("[i)", "unmatched '[' in the format string passed to HPy_BuildValue"),
    ("i)", "unmatched ')' in the format string passed to HPy_BuildValue"),
    # dicts follow HPy 0.9.0's grammar: key ':' value, single commas between
    ("{i}", "missing ':' in the format string passed to HPy_BuildValue"),
    ("{i:i", "unmatched '{' in the format string passed to HPy_BuildValue"),
    ("{i:i,,}", "unexpected ',' in the format string passed to HPy_BuildValue"),
    ("{i:ii,}", "missing ',' in the format string passed to HPy_BuildValue"),
    ("{i:}", "dict key without a value"),
    ("N", "HPy_BuildValue does not support the 'N' formatting unit."),
])
def test_bad_formats(make_module, fmt, message):
    mod = make_module("""
        HPyDef_METH(f, "f", HPyFunc_NOARGS)
        static HPy f_impl(HPyContext *ctx, HPy self)
        {
            return HPy_BuildValue(ctx, "%s", 1, 2, 3);
        }
        @EXPORT(f)
    """ % fmt)
    with pytest.raises(SystemError) as e:
        mod.f()
    assert message in str(e.value)
