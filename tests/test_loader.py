"""hpy.universal.load and _load_bootstrap: the universal module loader."""
import importlib.util
import os
import shutil

import pytest

import hpy.universal
from support.build import Builder, expand_snippet, load_bootstrap_in_child, load_module

GOOD = """
    HPyDef_METH(f, "f", HPyFunc_NOARGS)
    static HPy f_impl(HPyContext *ctx, HPy self)
    {
        return HPyLong_FromLong(ctx, 7);
    }
    @EXPORT(f)
"""


@pytest.fixture
def ubuilder(build_root):
    return Builder("universal", build_root)


def load(name, path):
    import importlib.machinery
    return hpy.universal.load(name, str(path), importlib.machinery.ModuleSpec(name, None, origin=str(path)))


def test_module_constants():
    assert (hpy.universal.MODE_UNIVERSAL, hpy.universal.MODE_DEBUG, hpy.universal.MODE_TRACE) == (0, 1, 2)
    assert hpy.universal.get_version()[0] == "0.9.0"


def test_missing_file_names_the_file(tmp_path):
    path = tmp_path / "nothere.hpy0.so"
    with pytest.raises(ImportError, match="nothere.hpy0.so") as e:
        load("nothere", path)
    assert isinstance(e.value, RuntimeError), "HPy 0.9.0 raised RuntimeError"


def test_not_a_shared_object(tmp_path):
    path = tmp_path / "junk.hpy0.so"
    path.write_text("not an ELF file")
    with pytest.raises(ImportError, match="junk.hpy0.so"):
        load("junk", path)


def test_missing_init_symbols(ubuilder):
    path = ubuilder.compile("plain", "int not_hpy(void) { return 1; }\n")
    with pytest.raises(ImportError, match="get_required_hpy_major_version_plain"):
        load("plain", path)
    # a valid HPy module loaded under the wrong name lacks the symbols too
    good = ubuilder.compile("good", expand_snippet("good", GOOD))
    with pytest.raises(ImportError, match="HPy.*_other|_other"):
        load("other", good)


def test_abi_version_mismatch(ubuilder):
    src = """
        #include <stdint.h>
        uint32_t get_required_hpy_major_version_future(void) { return 1; }
        uint32_t get_required_hpy_minor_version_future(void) { return 5; }
    """
    path = ubuilder.compile("future", src)
    with pytest.raises(ImportError) as e:
        load("future", path)
    # HPy 0.9.0's message, word for word
    assert str(e.value) == ("HPy extension module 'future' requires unsupported version of the HPy runtime. "
                            "Requested version: 1.5. Current HPy version: 0.0.")


@pytest.mark.parametrize("file_name, problem", [
    ("good.hpy999.so", "mismatch between the HPy ABI tag encoded in the filename and the major version "
                       "requested by the HPy extension itself. Major version tag parsed from filename: 999. "
                       "Requested version: 0.0."),
    ("good.hpy1-cp311.so", "mismatch between the HPy ABI tag encoded in the filename and the major version "
                           "requested by the HPy extension itself. Major version tag parsed from filename: 1. "
                           "Requested version: 0.0."),
    ("good.so", "could not find HPy ABI tag encoded in the filename. "
                "The extension claims to be compiled with HPy ABI version: 0.0."),
    ("good.hpy.so", "could not find HPy ABI tag encoded in the filename. "
                    "The extension claims to be compiled with HPy ABI version: 0.0."),
])
def test_file_name_must_carry_the_abi_tag(ubuilder, tmp_path, file_name, problem):
    good = ubuilder.compile("good", expand_snippet("good", GOOD))
    copy = tmp_path / file_name
    shutil.copy(good, copy)
    with pytest.raises(ImportError) as e:
        load("good", copy)
    assert isinstance(e.value, RuntimeError), "HPy 0.9.0 raised RuntimeError"
    assert str(e.value) == "HPy extension module 'good' at path '%s': %s" % (copy, problem)


def test_abi_tag_is_read_from_the_file_name_only(ubuilder, tmp_path):
    good = ubuilder.compile("good", expand_snippet("good", GOOD))
    (tmp_path / "x.hpy0").mkdir()
    copy = tmp_path / "x.hpy0" / "good.so"
    shutil.copy(good, copy)
    with pytest.raises(ImportError, match="could not find HPy ABI tag"):
        load("good", copy)
    # any name with the tag will do, as in HPy 0.9.0
    copy = tmp_path / "good.hpy0.local.so"
    shutil.copy(good, copy)
    assert load("good", copy).f() == 7


def test_init_returning_null(ubuilder):
    src = """
        #include <stdint.h>
        #include <stddef.h>
        uint32_t get_required_hpy_major_version_nullinit(void) { return 0; }
        uint32_t get_required_hpy_minor_version_nullinit(void) { return 0; }
        void HPyInitGlobalContext_nullinit(void *ctx) { (void)ctx; }
        void *HPyInit_nullinit(void) { return NULL; }
    """
    path = ubuilder.compile("nullinit", src)
    with pytest.raises(ImportError, match="HPyInit_nullinit returned NULL"):
        load("nullinit", path)


def test_load_and_call(ubuilder):
    path = ubuilder.compile("good", expand_snippet("good", GOOD))
    mod = load("good", path)
    assert mod.f() == 7
    assert mod.__name__ == "good"


def test_bad_mode_values(ubuilder):
    path = ubuilder.compile("good", expand_snippet("good", GOOD))
    with pytest.raises(ValueError):
        load_module("good", path, "universal", mode=7)


def test_load_bootstrap_honours_hpy_env(ubuilder):
    import importlib.machinery
    path = str(ubuilder.compile("good", expand_snippet("good", GOOD)))
    spec = importlib.machinery.ModuleSpec("pkg.good", None, origin=path)
    m = hpy.universal._load_bootstrap("good", "pkg.good", "pkg", path, None, spec, {"HPY": "other:debug"})
    assert m.f() == 7
    assert m.__file__ == path and m.__package__ == "pkg" and m.__spec__ is spec
    with pytest.raises(ValueError, match="HPY"):
        hpy.universal._load_bootstrap("good", "pkg.good", "pkg", path, None, spec, {"HPY": "fast"})


def test_load_bootstrap_points_the_module_at_the_binary(ubuilder, tmp_path):
    """The stub's spec comes from the import system and names the stub; the
    module must name the binary instead, in its repr too."""
    import importlib.util
    path = str(ubuilder.compile("good", expand_snippet("good", GOOD)))
    stub = tmp_path / "good.py"
    stub.write_text("")
    spec = importlib.util.spec_from_file_location("pkg.good", str(stub))
    m = hpy.universal._load_bootstrap("good", "pkg.good", "pkg", path, spec.loader, spec, {})
    assert m.__spec__ is spec and spec.origin == path
    assert m.__name__ == "pkg.good" and m.__loader__ is spec.loader
    assert repr(m) == "<module 'pkg.good' from %r>" % path


def test_hpy_log_writes_to_sys_stdout(ubuilder, tmp_path, capsys):
    # through sys.stdout, as HPy 0.9.0 does, so that Python code can capture it
    path = str(ubuilder.compile("logtrace", expand_snippet("logtrace", GOOD)))
    spec = importlib.util.spec_from_file_location("logtrace", path)
    m = hpy.universal._load_bootstrap("logtrace", "logtrace", None, path, None, spec,
                                      {"HPY_LOG": "1", "HPY": "trace"})
    assert capsys.readouterr().out == "Loading 'logtrace' in HPy universal mode with a trace context\n"
    assert m.f() == 7


def test_hpy_log_says_which_mode(ubuilder, tmp_path):
    path = ubuilder.compile("good", expand_snippet("good", GOOD))
    out = load_bootstrap_in_child("good", path, {"HPY_LOG": "1"}, "m.f()")
    assert "Loading 'good' in HPy universal mode\n" in out
    assert out.strip().endswith("7")
