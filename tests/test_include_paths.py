"""Extensions written for HPy 0.9.0 include headers by 0.9.0's paths
(hpy/runtime/argparse.h, ...): every header of its include tree compiles
here too, in every ABI."""
import pytest

from support.build import Builder, load_module

# HPy 0.9.0's include tree, below include/ (checked against the oracle by
# test_list_matches_upstream).
UPSTREAM_HEADERS = [
    "hpy.h",
    "hpy/autogen_hpyfunc_declare.h",
    "hpy/autogen_hpyslot.h",
    "hpy/cpy_types.h",
    "hpy/cpython/autogen_api_impl.h",
    "hpy/cpython/autogen_ctx.h",
    "hpy/cpython/autogen_hpyfunc_trampolines.h",
    "hpy/cpython/hpyfunc_trampolines.h",
    "hpy/cpython/misc.h",
    "hpy/forbid_python_h/Python.h",
    "hpy/hpydef.h",
    "hpy/hpyexports.h",
    "hpy/hpyfunc.h",
    "hpy/hpymodule.h",
    "hpy/hpytype.h",
    "hpy/inline_helpers.h",
    "hpy/macros.h",
    "hpy/runtime/argparse.h",
    "hpy/runtime/buildvalue.h",
    "hpy/runtime/ctx_funcs.h",
    "hpy/runtime/ctx_module.h",
    "hpy/runtime/ctx_type.h",
    "hpy/runtime/format.h",
    "hpy/runtime/helpers.h",
    "hpy/runtime/structseq.h",
    "hpy/universal/autogen_ctx.h",
    "hpy/universal/autogen_hpyfunc_trampolines.h",
    "hpy/universal/autogen_trampolines.h",
    "hpy/universal/hpyfunc_trampolines.h",
    "hpy/universal/misc_trampolines.h",
    "hpy/version.h",
]

# Headers an extension may include first, instead of hpy.h: 0.9.0's own
# include hpy.h. The others are parts of hpy.h, included after it.
STANDALONE = [h for h in UPSTREAM_HEADERS if h.startswith("hpy/runtime/") or h == "hpy/hpyexports.h"]

# Uses one declaration of each helper header, so that a forwarding header
# that declares nothing fails to compile (-Werror: implicit declarations).
USES = r"""
    HPyDef_METH(f, "f", HPyFunc_VARARGS)
    static HPy f_impl(HPyContext *ctx, HPy self, const HPy *args, size_t nargs)
    {
        long a = 0;
        if (!HPyArg_Parse(ctx, NULL, args, nargs, "l", &a))
            return HPy_NULL;
        HPy s = HPyUnicode_FromFormat(ctx, "%%ld", a);
        if (HPy_IsNull(s))
            return HPy_NULL;
        HPy r = HPy_BuildValue(ctx, "(Oi)", s, HPY_ABI_VERSION);
        HPy_Close(ctx, s);
        return r;
    }
    HPyDef_SLOT(exec, HPy_mod_exec)
    static int exec_impl(HPyContext *ctx, HPy m)
    {
        /* referenced only, so that no type is made */
        (void)&HPyStructSequence_NewType;
        (void)&HPyHelpers_AddType;
        return 0;
    }
    static HPyDef *defines[] = { &f, &exec, NULL };
    static HPyModuleDef moddef = { .doc = "includes", .defines = defines };
    HPy_MODINIT(%(name)s, moddef)
"""


@pytest.mark.host_only   # the oracle wheel is cp311-only
def test_list_matches_upstream():
    from pathlib import Path
    from support.oracle import oracle_include_dir
    root = Path(oracle_include_dir())
    upstream = sorted(str(p.relative_to(root)) for p in root.rglob("*.h"))
    assert upstream == sorted(UPSTREAM_HEADERS)


@pytest.mark.parametrize("abi", ["cpython", "universal", "hybrid"])
def test_every_upstream_path_compiles(build_root, abi):
    builder = Builder(abi, build_root)
    # hpy/forbid_python_h/Python.h is an #error by design: it is what a
    # universal build finds instead of Python.h.
    # hpy/cpython/ and hpy/universal/ are the two sides of one ABI switch
    # (in 0.9.0 too): each is included in its own ABIs only.
    other_side = "hpy/universal/" if abi == "cpython" else "hpy/cpython/"
    paths = [h for h in UPSTREAM_HEADERS
             if h != "hpy/forbid_python_h/Python.h" and not h.startswith(other_side)]
    name = "includes_all"
    source = "#include <hpy.h>\n" + "".join("#include <%s>\n" % h for h in paths)
    path = builder.compile(name, source + USES % {"name": name})
    mod = load_module(name, path, abi)
    assert mod.f(7) == ("7", 0)


@pytest.mark.parametrize("header", STANDALONE)
@pytest.mark.parametrize("abi", ["cpython", "universal", "hybrid"])
def test_runtime_header_alone(build_root, abi, header):
    builder = Builder(abi, build_root)
    name = "include_" + header.replace("/", "_").replace(".", "_")
    source = "#include <%s>\n" % header + USES % {"name": name}
    mod = load_module(name, builder.compile(name, source), abi)
    assert mod.f(3) == ("3", 0)


def test_forbidden_python_h_still_refuses(build_root):
    builder = Builder("universal", build_root)
    # the message starts as HPy 0.9.0's, which tools may look for
    with pytest.raises(RuntimeError, match="compilation failed(.|\n)*It is forbidden to #include <Python.h> "
                                           "when targeting the HPy Universal ABI"):
        builder.compile("include_python_h", "#include <hpy.h>\n#include <Python.h>\n")


LEGACY_CALLS = {
    "HPy_AsPyObject": "cpy_PyObject *o = HPy_AsPyObject(ctx, self); (void)o; return HPy_NULL;",
    "HPy_FromPyObject": "cpy_PyObject *o = NULL; return HPy_FromPyObject(ctx, o);",
}


@pytest.mark.parametrize("opt", ["-O0", "-O2"])
@pytest.mark.parametrize("call", sorted(LEGACY_CALLS))
def test_legacy_calls_do_not_compile_in_universal(build_root, call, opt):
    source = """
        #include <hpy.h>
        HPyDef_METH(f, "f", HPyFunc_NOARGS)
        static HPy f_impl(HPyContext *ctx, HPy self) { %s }
        static HPyDef *defines[] = { &f, NULL };
        static HPyModuleDef moddef = { .defines = defines };
        HPy_MODINIT(legacy_call, moddef)
    """ % LEGACY_CALLS[call]
    # HPy 0.9.0's message, at every optimisation level
    with pytest.raises(RuntimeError, match="compilation failed(.|\n)*Cannot use legacy functions "
                                           "when targeting the HPy Universal ABI"):
        Builder("universal", build_root).compile("legacy_call", source, extra_cflags=(opt,))
