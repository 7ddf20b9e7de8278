"""hpy.devel: the setuptools integration, end to end through setup.py."""
import subprocess
import sys
import sysconfig
import textwrap

import pytest

from hpy.devel.abitag import get_hpy_ext_suffix

SOURCE = """
#include <hpy.h>
HPyDef_METH(answer, "answer", HPyFunc_NOARGS)
static HPy answer_impl(HPyContext *ctx, HPy self)
{
    return HPyUnicode_FromString(ctx, HPY_ABI);
}
static HPyDef *defines[] = { &answer, NULL };
static HPyModuleDef moduledef = { .defines = defines };
HPy_MODINIT(pkgmod, moduledef)
"""


def make_project(tmp_path, source=SOURCE):
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "__init__.py").write_text("")
    (tmp_path / "pkgmod.c").write_text(source)
    (tmp_path / "setup.py").write_text(textwrap.dedent("""
        from setuptools import setup, Extension
        setup(name="pkgmod", packages=["pkg"],
              hpy_ext_modules=[Extension("pkg.pkgmod", sources=["pkgmod.c"])])
    """))
    return tmp_path


def build(project, abi):
    return subprocess.run(
        [sys.executable, "setup.py", "--hpy-abi=" + abi, "build_ext", "--inplace"],
        cwd=project, capture_output=True, text=True,
    )


def run_import(project):
    code = ("import pkg.pkgmod as m; print(m.answer(), m.__name__, m.__file__, m.__spec__.origin);"
            "print(repr(m))")
    r = subprocess.run([sys.executable, "-c", code], cwd=project, capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    first, module_repr = r.stdout.splitlines()
    return first.split() + [module_repr]


@pytest.mark.parametrize("abi, suffix", [
    ("universal", ".hpy0.so"),
    ("hybrid", get_hpy_ext_suffix("hybrid")),
    ("cpython", sysconfig.get_config_var("EXT_SUFFIX")),
])
def test_build_and_import(tmp_path, abi, suffix):
    project = make_project(tmp_path)
    r = build(project, abi)
    assert r.returncode == 0, r.stdout + r.stderr
    built = sorted(p.name for p in (project / "pkg").iterdir() if p.name.startswith("pkgmod"))
    if abi == "cpython":
        assert built == ["pkgmod" + suffix]
    else:
        assert built == ["pkgmod" + suffix, "pkgmod.py"]
        stub = (project / "pkg" / "pkgmod.py").read_text()
        assert "_load_bootstrap" in stub
    answer, name, file, origin, module_repr = run_import(project)
    assert answer == abi
    assert name == "pkg.pkgmod"
    # the binary, not the loader stub, in every place that names the file
    assert file.endswith(suffix) and origin == file
    assert module_repr == "<module 'pkg.pkgmod' from %r>" % file


def test_universal_build_refuses_python_h(tmp_path):
    project = make_project(tmp_path, "#include <Python.h>\n" + SOURCE)
    r = build(project, "universal")
    assert r.returncode != 0
    # the start is HPy 0.9.0's message, which tools may look for
    assert "It is forbidden to #include <Python.h> when targeting the HPy Universal ABI" in r.stdout + r.stderr


def test_unknown_abi_is_an_error(tmp_path):
    project = make_project(tmp_path)
    r = build(project, "fancy")
    assert r.returncode != 0
    assert "fancy" in r.stdout + r.stderr


def test_hpy_devel_api():
    import hpy.devel
    d = hpy.devel.HPyDevel()
    assert (d.include_dir / "hpy.h").exists()
    assert all(str(s).endswith(".c") for s in d.get_extra_sources())
    assert callable(hpy.devel.handle_hpy_ext_modules)
