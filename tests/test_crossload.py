"""Binary compatibility with HPy 0.9.0, both ways: a universal module built
by upstream's hpy.devel runs on hpy-rs, and one built with hpy-rs's headers
runs on upstream's runtime (the oracle from PyPI, in its own venv)."""
import subprocess
import textwrap

import pytest

from support.build import Builder, expand_snippet
from support.oracle import oracle_python

pytestmark = pytest.mark.host_only

SNIPPET = """
    HPyGlobal counter;

    HPyDef_METH(noargs, "noargs", HPyFunc_NOARGS, .doc = "no arguments")
    static HPy noargs_impl(HPyContext *ctx, HPy self)
    {
        return HPyUnicode_FromString(ctx, "hello");
    }
    HPyDef_METH(double_it, "double_it", HPyFunc_O)
    static HPy double_it_impl(HPyContext *ctx, HPy self, HPy arg)
    {
        return HPy_Multiply(ctx, arg, arg);
    }
    HPyDef_METH(total, "total", HPyFunc_VARARGS)
    static HPy total_impl(HPyContext *ctx, HPy self, const HPy *args, size_t n)
    {
        long s = 0;
        for (size_t i = 0; i < n; i++) {
            long v = HPyLong_AsLong(ctx, args[i]);
            if (v == -1 && HPyErr_Occurred(ctx))
                return HPy_NULL;
            s += v;
        }
        return HPyLong_FromLong(ctx, s);
    }
    HPyDef_METH(call, "call", HPyFunc_KEYWORDS)
    static HPy call_impl(HPyContext *ctx, HPy self, const HPy *args, size_t n, HPy kwnames)
    {
        if (n < 1)
            return HPyErr_SetString(ctx, ctx->h_TypeError, "call() needs a callable");
        return HPy_Call(ctx, args[0], args + 1, n - 1, kwnames);
    }
    HPyDef_METH(count, "count", HPyFunc_NOARGS)
    static HPy count_impl(HPyContext *ctx, HPy self)
    {
        HPy old = HPyGlobal_Load(ctx, counter);
        HPy one = HPyLong_FromLong(ctx, 1);
        HPy new_ = HPy_Add(ctx, old, one);
        HPyGlobal_Store(ctx, &counter, new_);
        HPy_Close(ctx, old);
        HPy_Close(ctx, one);
        return new_;
    }
    HPyDef_SLOT(exec, HPy_mod_exec)
    static int exec_impl(HPyContext *ctx, HPy m)
    {
        HPy zero = HPyLong_FromLong(ctx, 0);
        HPyGlobal_Store(ctx, &counter, zero);
        HPy_Close(ctx, zero);
        return 0;
    }
    @EXPORT(noargs)
    @EXPORT(double_it)
    @EXPORT(total)
    @EXPORT(call)
    @EXPORT(count)
    @EXPORT(exec)
    @EXPORT_GLOBAL(counter)
"""

CHECKS = """
import importlib.machinery, sys
import hpy.universal
path = sys.argv[1]
m = hpy.universal.load("xmod", path, importlib.machinery.ModuleSpec("xmod", None, origin=path))
assert m.noargs() == "hello", m.noargs()
assert m.noargs.__doc__ == "no arguments"
assert m.double_it(21) == 441
try:
    m.double_it("ab")
except TypeError:
    pass
else:
    raise AssertionError("TypeError expected")
assert m.total(1, 2, 3) == 6
try:
    m.total(1, "x")
except TypeError:
    pass
else:
    raise AssertionError("TypeError expected")
assert m.call(lambda *a, **k: (a, k), 1, b=2) == ((1,), {"b": 2})
try:
    m.call()
except TypeError as e:
    assert "needs a callable" in str(e)
assert [m.count(), m.count(), m.count()] == [1, 2, 3]
print("ok", hpy.universal.get_version())
"""


def run_checks(python, path):
    r = subprocess.run([str(python), "-c", CHECKS, str(path)], capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr
    return r.stdout


def build_with_upstream(tmp_path):
    (tmp_path / "xmod.c").write_text(expand_snippet("xmod", SNIPPET))
    (tmp_path / "setup.py").write_text(textwrap.dedent("""
        from setuptools import setup, Extension
        setup(name="xmod", hpy_ext_modules=[Extension("xmod", sources=["xmod.c"])])
    """))
    subprocess.run([str(oracle_python()), "setup.py", "--hpy-abi=universal", "build_ext", "--inplace"],
                   cwd=tmp_path, check=True, capture_output=True)
    return tmp_path / "xmod.hpy0.so"


def test_upstream_built_module_runs_on_hpy_rs(tmp_path):
    import sys
    path = build_with_upstream(tmp_path)
    out = run_checks(sys.executable, path)
    assert "hpy-rs" in out


def test_hpy_rs_built_module_runs_on_upstream(build_root):
    path = Builder("universal", build_root).compile("xmod", expand_snippet("xmod", SNIPPET))
    out = run_checks(oracle_python(), path)
    assert "'0.9.0'" in out and "hpy-rs" not in out
