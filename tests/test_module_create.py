"""Module definitions beyond the methods: HPy_mod_create, several exec slots,
and the definitions a runtime must refuse (the same errors in every ABI)."""
import textwrap

import pytest

from support.build import load_module



def build(compiler, name, body, doc="NULL", size="0", legacy="NULL", globals="NULL"):
    """Compile `body` (which defines the NULL-terminated `defines` array)
    into module `name` with the given HPyModuleDef fields and import it."""
    source = textwrap.dedent("""\
        #include <hpy.h>
        {body}
        static HPyModuleDef moddef = {{
            .doc = {doc},
            .size = {size},
            .legacy_methods = {legacy},
            .defines = defines,
            .globals = {globals},
        }};
        HPy_MODINIT({name}, moddef)
        """).format(body=textwrap.dedent(body), doc=doc, size=size,
                    legacy=legacy, name=name, globals=globals)
    path = compiler.compile(name, source)
    mode = "+" + compiler.mode if compiler.mode else ""
    return load_module(name, path, compiler.abi + mode)


CREATE = """
    HPyDef_SLOT(create, HPy_mod_create)
    static HPy create_impl(HPyContext *ctx, HPy spec)
    {
        HPy name = HPy_GetAttr_s(ctx, spec, "name");
        HPy result;
        if (HPy_IsNull(name))
            return HPy_NULL;
        result = HPy_BuildValue(ctx, "(sO)", "created for", name);
        HPy_Close(ctx, name);
        return result;
    }
"""


def test_create_slot_may_return_any_object(compiler):
    mod = build(compiler, "created", CREATE + """
        static HPyDef *defines[] = { &create, NULL };
    """)
    assert mod == ("created for", "created")


def test_create_slot_returning_a_module_is_refused(compiler):
    with pytest.raises(SystemError, match="HPy_mod_create slot returned a builtin module object. "
                                          "This is currently not supported."):
        build(compiler, "create_module", """
            HPyDef_SLOT(create, HPy_mod_create)
            static HPy create_impl(HPyContext *ctx, HPy spec)
            {
                return HPyImport_ImportModule(ctx, "sys");
            }
            static HPyDef *defines[] = { &create, NULL };
        """)


def test_create_slot_error_propagates(compiler):
    with pytest.raises(KeyError, match="no module for you"):
        build(compiler, "create_error", """
            HPyDef_SLOT(create, HPy_mod_create)
            static HPy create_impl(HPyContext *ctx, HPy spec)
            {
                return HPyErr_SetString(ctx, ctx->h_KeyError, "no module for you");
            }
            static HPyDef *defines[] = { &create, NULL };
        """)


OTHER_DEFINES = "^HPyModuleDef defines a HPy_mod_create slot and some other slots or methods"
OTHER_FIELDS = ("^HPyModuleDef defines a HPy_mod_create slot and some of the other fields "
                "are not set to their default value")


@pytest.mark.parametrize("extra, doc, match", [
    ("&f, ", "NULL", OTHER_DEFINES),        # a method
    ("&ex, ", "NULL", OTHER_DEFINES),       # an exec slot
    ("&f, ", '"a doc"', OTHER_DEFINES),     # the defines are reported first
    ("", '"a doc"', OTHER_FIELDS),          # a doc string
])
def test_create_slot_excludes_everything_else(compiler, extra, doc, match):
    body = CREATE + """
        HPyDef_METH(f, "f", HPyFunc_NOARGS)
        static HPy f_impl(HPyContext *ctx, HPy self) { return HPy_Dup(ctx, ctx->h_None); }
        HPyDef_SLOT(ex, HPy_mod_exec)
        static int ex_impl(HPyContext *ctx, HPy m) { return 0; }
        static HPyDef *defines[] = { &create, %s NULL };
    """ % extra
    with pytest.raises(SystemError, match=match):
        build(compiler, "create_and_more", body, doc=doc)


def test_create_slot_excludes_globals(compiler):
    with pytest.raises(SystemError, match=OTHER_FIELDS):
        build(compiler, "create_and_globals", CREATE + """
            static HPyGlobal g;
            static HPyGlobal *globals[] = { &g, NULL };
            static HPyDef *defines[] = { &create, NULL };
        """, globals="globals")


def test_two_create_slots(compiler):
    with pytest.raises(SystemError, match=r"^Multiple definitions of the HPy_mod_create slot in "
                                          r"HPyModuleDef\.defines\.$"):
        build(compiler, "two_creates", CREATE + """
            static HPyDef *defines[] = { &create, &create, NULL };
        """)


@pytest.mark.parametrize("size, match", [
    ("-1", r"^HPy does not permit HPyModuleDef\.size < 0$"),
    ("16", r"^Module state is not supported yet in HPy, set HPyModuleDef\.size = 0 "
           r"if module state is not needed$"),
])
def test_module_size(compiler, size, match):
    with pytest.raises(SystemError, match=match):
        build(compiler, "sized", "static HPyDef *defines[] = { NULL };", size=size)


def test_type_slot_is_refused(compiler):
    with pytest.raises(SystemError, match=r"^Unsupported slot in HPyModuleDef\.defines \(value: 66\)\.$"):
        build(compiler, "type_slot", """
            HPyDef_SLOT(r, HPy_tp_repr)
            static HPy r_impl(HPyContext *ctx, HPy self) { return HPy_Dup(ctx, self); }
            static HPyDef *defines[] = { &r, NULL };
        """)


@pytest.mark.hpy_rs_only("HPy 0.9.0 ignores a member define in a module")
def test_member_define_is_refused(compiler):
    with pytest.raises(SystemError, match="kind 3, which only types can have"):
        build(compiler, "member_def", """
            HPyDef_MEMBER(m, "m", HPyMember_INT, 0)
            static HPyDef *defines[] = { &m, NULL };
        """)


def test_method_with_a_slot_signature_is_refused(compiler):
    # HPy 0.9.0's exception and whole message
    with pytest.raises(ValueError) as e:
        build(compiler, "bad_sig", """
            HPyDef_METH(g, "g", HPyFunc_UNARYFUNC)
            static HPy g_impl(HPyContext *ctx, HPy a) { return HPy_Dup(ctx, a); }
            static HPyDef *defines[] = { &g, NULL };
        """)
    assert str(e.value) == "Unsupported HPyMeth signature"


def test_type_method_with_an_unknown_signature_is_refused(compiler):
    # the same check, in HPyType_FromSpec
    mod = build(compiler, "type_sig", """
        static HPy m_impl(HPyContext *ctx, HPy self) { return HPy_Dup(ctx, self); }
        static HPyDef m = {
            .kind = HPyDef_Kind_Meth,
            .meth = { .name = "m", .impl = (HPyCFunction)m_impl, .signature = (HPyFunc_Signature)1234 },
        };
        static HPyDef *type_defines[] = { &m, NULL };
        static HPyType_Spec spec = { .name = "type_sig.T", .defines = type_defines };
        HPyDef_METH(make, "make", HPyFunc_NOARGS)
        static HPy make_impl(HPyContext *ctx, HPy self) { return HPyType_FromSpec(ctx, &spec, NULL); }
        static HPyDef *defines[] = { &make, NULL };
    """)
    with pytest.raises(ValueError) as e:
        mod.make()
    assert str(e.value) == "Unsupported HPyMeth signature"


def test_method_with_an_unknown_signature_is_refused(compiler):
    with pytest.raises(ValueError) as e:
        build(compiler, "unknown_sig", """
            static HPy u_impl(HPyContext *ctx, HPy self) { return HPy_Dup(ctx, self); }
            static HPyDef u = {
                .kind = HPyDef_Kind_Meth,
                .meth = { .name = "u", .impl = (HPyCFunction)u_impl, .signature = (HPyFunc_Signature)1234 },
            };
            static HPyDef *defines[] = { &u, NULL };
        """)
    assert str(e.value) == "Unsupported HPyMeth signature"


def test_exec_slots_run_in_order(compiler):
    mod = build(compiler, "execs", """
        static int append(HPyContext *ctx, HPy m, const char *what)
        {
            int r;
            HPy log = HPy_GetAttr_s(ctx, m, "log");
            HPy item = HPyUnicode_FromString(ctx, what);
            if (HPy_IsNull(log)) {
                HPyErr_Clear(ctx);
                log = HPyList_New(ctx, 0);
                HPy_SetAttr_s(ctx, m, "log", log);
            }
            r = HPyList_Append(ctx, log, item);
            HPy_Close(ctx, item);
            HPy_Close(ctx, log);
            return r;
        }
        HPyDef_SLOT(first, HPy_mod_exec)
        static int first_impl(HPyContext *ctx, HPy m) { return append(ctx, m, "first"); }
        HPyDef_SLOT(second, HPy_mod_exec)
        static int second_impl(HPyContext *ctx, HPy m) { return append(ctx, m, "second"); }
        HPyDef_METH(f, "f", HPyFunc_NOARGS)
        static HPy f_impl(HPyContext *ctx, HPy self) { return HPy_GetAttr_s(ctx, self, "log"); }
        static HPyDef *defines[] = { &first, &f, &second, NULL };
    """, doc='"with two exec slots"')
    assert mod.log == ["first", "second"]
    assert mod.f() is mod.log
    assert mod.__doc__ == "with two exec slots"


def test_exec_failing_without_exception(compiler):
    with pytest.raises(SystemError):
        build(compiler, "exec_noexc", """
            HPyDef_SLOT(ex, HPy_mod_exec)
            static int ex_impl(HPyContext *ctx, HPy m) { return -1; }
            static HPyDef *defines[] = { &ex, NULL };
        """)


def test_module_loaded_twice(compiler):
    """Every import runs the module init again; each gets a new module."""
    body = """
        HPyGlobal counter;
        HPyDef_SLOT(ex, HPy_mod_exec)
        static int ex_impl(HPyContext *ctx, HPy m)
        {
            HPy one = HPyLong_FromLong(ctx, 1);
            HPy_SetAttr_s(ctx, m, "one", one);
            HPy_Close(ctx, one);
            return 0;
        }
        static HPyDef *defines[] = { &ex, NULL };
    """
    mod1 = build(compiler, "twice", body)
    mod2 = build(compiler, "twice", body)
    assert mod1 is not mod2 and mod1.one == mod2.one == 1


def test_legacy_methods(compiler):
    if not compiler.abi.startswith(("cpython", "hybrid")):
        pytest.skip("legacy methods are PyMethodDefs: they need Python.h")
    mod = build(compiler, "legacy_meths", """
        #ifndef HPY_ABI_UNIVERSAL
        static PyObject *legacy_f(PyObject *self, PyObject *arg)
        {
            return PyLong_FromLong(PyLong_AsLong(arg) * 2);
        }
        static PyMethodDef legacy[] = {
            {"legacy_f", legacy_f, METH_O, "doubles"},
            {NULL, NULL, 0, NULL}
        };
        #endif
        HPyDef_METH(f, "f", HPyFunc_NOARGS)
        static HPy f_impl(HPyContext *ctx, HPy self) { return HPyLong_FromLong(ctx, 1); }
        static HPyDef *defines[] = { &f, NULL };
    """, legacy="legacy")
    assert mod.f() == 1
    assert mod.legacy_f(21) == 42
    assert mod.legacy_f.__doc__ == "doubles"
