"""Compiling C snippets into HPy extension modules, in each ABI.

The snippets call gcc directly with the flags hpy.devel uses (include dirs,
ABI macro, helper sources), so that a test compiles in a fraction of a second;
hpy.devel's own setuptools path is tested separately (test_devel.py).
"""
import functools
import hashlib
import importlib.machinery
import importlib.util
import os
import platform
import re
import subprocess
import sys
import sysconfig
import textwrap
import threading
from pathlib import Path

from support.oracle import REPO

ABI_FLAGS = {
    "cpython": ["-DHPY_ABI_CPYTHON"],
    "universal": ["-DHPY_ABI_UNIVERSAL"],
    "hybrid": ["-DHPY_ABI_HYBRID"],
}


def split_abi(abi):
    """'universal', 'hybrid+debug', 'debug' (= 'universal+debug'), 'trace'
    -> (the ABI the C code is compiled for, the mode it is loaded in, or
    None for the default). 'upstream' and 'upstream+debug' are 'universal'
    and 'debug' loaded by HPy 0.9.0's runtime (see abi_runtime)."""
    parts = abi.split("+")
    modes = [p for p in parts if p in ("debug", "trace")]
    base = [p for p in parts if p not in ("debug", "trace", "upstream")] or ["universal"]
    return base[0], (modes[0] if modes else None)


def abi_runtime(abi):
    """The runtime an ABI name asks for: 'upstream' (HPy 0.9.0, the oracle)
    or 'hpy-rs'."""
    return "upstream" if "upstream" in abi.split("+") else "hpy-rs"


@functools.lru_cache(maxsize=None)
def loaded_runtime():
    """The runtime `import hpy` gives this interpreter: 'hpy-rs', or
    'upstream' in the oracle venv (tests/support/oracle.py), whose pytest
    runs the upstream ABIs."""
    try:
        import hpy.universal
    except ImportError:
        # upstream's wheel always has its runtime; hpy-rs's tree may not
        # have built one yet (test_devel.py and the cpython ABI need none)
        return "hpy-rs"
    return "hpy-rs" if "hpy-rs" in str(hpy.universal.get_version()) else "upstream"


@functools.lru_cache(maxsize=None)
def devel():
    """hpy-rs's HPyDevel (our headers and helper sources), whichever runtime
    loads the modules. Under upstream's runtime the package `hpy` is HPy
    0.9.0's, so ours is imported from the source tree under a private name:
    the binaries are then the very ones the universal ABI builds."""
    if loaded_runtime() == "hpy-rs":
        import hpy.devel
        return hpy.devel.HPyDevel()
    import importlib.util
    pkg = REPO / "python" / "hpy" / "devel"
    spec = importlib.util.spec_from_file_location(
        "_hpy_rs_devel", pkg / "__init__.py", submodule_search_locations=[str(pkg)])
    mod = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = mod
    spec.loader.exec_module(mod)
    return mod.HPyDevel()

CFLAGS = ["-O1", "-g", "-fPIC", "-Wall", "-Werror", "-Wno-unused-function", "-std=c99"]

# C++ translation units (compile(..., cplusplus=True)): g++ with the warnings
# of a strict C++ project; the language standard comes from extra_cflags
# (default -std=c++11). The helper sources stay C, compiled by gcc as above.
# The HPyDef_* macros leave their optional fields (.doc, .readonly, ...) to
# the caller's designated initializers, which -Wextra's
# missing-field-initializers reports in C++ (with HPy 0.9.0's headers too).
CXXFLAGS = ["-O1", "-g", "-fPIC", "-Wall", "-Wextra", "-Werror", "-Wno-unused-function",
            "-Wno-missing-field-initializers"]


def include_dirs(abi, hpy_devel=None):
    abi = split_abi(abi)[0]
    hpy_devel = hpy_devel or devel()
    dirs = [str(hpy_devel.include_dir)]
    if abi == "universal":
        # Python.h must not be reachable from a universal module.
        return [os.path.join(str(hpy_devel.include_dir), "hpy", "forbid_python_h")] + dirs
    return dirs + [sysconfig.get_paths()["include"]]


def module_filename(name, abi):
    abi = split_abi(abi)[0]
    if abi == "cpython":
        return name + sysconfig.get_config_var("EXT_SUFFIX")
    if abi == "universal":
        return name + ".hpy0.so"
    return name + ".hpy0-cp%d%d.so" % sys.version_info[:2]


_DIRECTIVE = re.compile(r"^[ \t]*@(EXPORT|EXPORT_GLOBAL|EXPORT_TYPE)\((.*)\)[ \t]*$", re.M)
_EXPORT_TYPE_ARGS = re.compile(r'\s*"(\w+)"\s*,\s*(\w+)\s*(?:,\s*(\S.*?))?\s*$')

# What @EXPORT_TYPE generates: one HPy_mod_exec slot adding every type.
_ADD_TYPE = """\
static int _snippet_add_type(HPyContext *ctx, HPy m, const char *name,
                             HPyType_Spec *spec, HPy base)
{
    HPyType_SpecParam params[] = { { HPyType_SpecParam_Base, base }, { 0 } };
    HPy t = HPyType_FromSpec(ctx, spec, HPy_IsNull(base) ? NULL : params);
    int r;
    if (HPy_IsNull(t))
        return -1;
    r = HPy_SetAttr_s(ctx, m, name, t);
    HPy_Close(ctx, t);
    return r;
}
HPyDef_SLOT(_snippet_exec_types, HPy_mod_exec)
static int _snippet_exec_types_impl(HPyContext *ctx, HPy m)
{
%s    return 0;
}
"""


def expand_snippet(name, source):
    """Replace the markers (lines of their own, however indented: a snippet
    may be put together from pieces) with a module definition,
    and add the HPy_MODINIT line:
    - @EXPORT(sym): the HPyDef `sym` in the module's defines;
    - @EXPORT_GLOBAL(g): the HPyGlobal `g` in its globals;
    - @EXPORT_TYPE("Name", spec) or @EXPORT_TYPE("Name", spec, base): the
      type HPyType_FromSpec makes of the HPyType_Spec `spec` (with the C
      expression `base`, in which `ctx` is the context, as its
      HPyType_SpecParam_Base) becomes the module's attribute Name. One
      generated HPy_mod_exec slot adds the types in the order of their
      markers; it stands among the defines where the first of them stands."""
    source = textwrap.dedent(source)
    exports, globals_, types = [], [], []
    for kind, arg in _DIRECTIVE.findall(source):
        if kind == "EXPORT_TYPE":
            m = _EXPORT_TYPE_ARGS.fullmatch(arg)
            if m is None:
                raise ValueError('@EXPORT_TYPE wants ("Name", spec[, base]), not (%s)' % arg)
            if not types:
                exports.append("_snippet_exec_types")
            types.append(m.groups())
        elif not re.fullmatch(r"\w+", arg):
            raise ValueError("@%s wants a C name, not (%s)" % (kind, arg))
        else:
            (exports if kind == "EXPORT" else globals_).append(arg)
    body = _DIRECTIVE.sub("", source)
    if types:
        body += _ADD_TYPE % "".join(
            '    if (_snippet_add_type(ctx, m, "%s", &%s, %s) < 0)\n        return -1;\n'
            % (tname, spec, base or "HPy_NULL") for tname, spec, base in types)
    defines = "".join("    &%s,\n" % s for s in exports)
    global_list = "".join("    &%s,\n" % g for g in globals_)
    return textwrap.dedent("""\
        #include <hpy.h>
        {{body}}
        static HPyDef *_snippet_defines[] = {{
        {defines}    NULL
        }};
        static HPyGlobal *_snippet_globals[] = {{
        {global_list}    NULL
        }};
        static HPyModuleDef _snippet_moduledef = {{
            .doc = "snippet module {name}",
            .size = 0,
            .defines = _snippet_defines,
            .globals = _snippet_globals,
        }};
        HPy_MODINIT({name}, _snippet_moduledef)
        """).replace("{{body}}", "{body}").format(body=body, defines=defines, global_list=global_list, name=name)


# Every source compiled in this process, for --api-coverage.
COMPILED_SOURCES = []

# With --check-refleaks a test body runs several times: it then gets the
# module its first run loaded, so that what is measured is the body's API
# calls, not the objects a fresh module and its types bring each time.
REUSE_LOADED_MODULES = False
LOADED_MODULES = {}


@functools.lru_cache(maxsize=None)
def toolchain_digest():
    """What every compiled snippet depends on besides its own source: the
    headers, the helper sources, the compiler and the C library."""
    h = hashlib.sha1()
    d = devel()
    for root in (d.include_dir, d.src_dir):
        for path in sorted(Path(root).rglob("*")):
            if path.is_file():
                h.update(str(path.relative_to(root)).encode())
                h.update(path.read_bytes())
    gcc = subprocess.run(["gcc", "--version"], capture_output=True, text=True).stdout
    h.update(gcc.encode())
    h.update(repr(platform.libc_ver()).encode())
    return h.hexdigest()[:12]


def cache_tag(abi):
    """Builds are shared between interpreters where the binary is the same:
    universal files by every interpreter with the same C library; cpython
    and hybrid files only by the same CPython version."""
    if abi == "universal":
        return "universal"
    return "%s-%s" % (abi, sysconfig.get_config_var("EXT_SUFFIX").strip("."))


class Builder:
    """Builds snippets for one ABI under a cache directory (build/snippets,
    kept between runs); a snippet is compiled once per source, toolchain and
    interpreter family, also across pytest-xdist workers."""

    def __init__(self, abi, workdir):
        # `abi` may name a mode too ('debug', 'hybrid+debug'): the C code is
        # compiled for self.abi and loaded in self.mode.
        self.abi, self.mode = split_abi(abi)
        self.workdir = Path(workdir) / cache_tag(self.abi)
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.devel = devel()

    def extra_sources(self):
        # as hpy.devel's build_ext does: the helpers in every ABI, plus the
        # context implementations (ctx_*.c) that only the cpython ABI needs
        sources = list(self.devel.get_extra_sources())
        if self.abi == "cpython":
            sources += self.devel.get_ctx_sources()
        return sources

    def helper_objects(self):
        """The extra sources compiled once per ABI and toolchain: linking
        objects instead of recompiling them makes a snippet build several
        times faster."""
        outdir = self.workdir / ("helpers-" + toolchain_digest())
        outdir.mkdir(exist_ok=True)
        objects = []
        for src in self.extra_sources():
            obj = outdir / (Path(src).stem + ".o")
            if not obj.exists():
                partial = outdir / ("%s.%d.%d" % (obj.name, os.getpid(), threading.get_ident()))
                cmd = ["gcc", "-c", *CFLAGS, *ABI_FLAGS[self.abi]]
                cmd += ["-I" + d for d in include_dirs(self.abi, self.devel)]
                cmd += [str(src), "-o", str(partial)]
                r = subprocess.run(cmd, capture_output=True, text=True)
                if r.returncode != 0:
                    raise RuntimeError("compilation failed:\n%s\n%s" % (" ".join(cmd), r.stderr))
                os.replace(partial, obj)
            objects.append(str(obj))
        return objects

    def compile(self, name, c_source, extra_cflags=(), cplusplus=False, extra_sources=()):
        """Compiles `c_source` (C, or C++ with cplusplus=True) with the
        helpers into the module `name`; `extra_sources` are more translation
        units of the same module and language, as (file name, text) pairs."""
        COMPILED_SOURCES.append(c_source)
        COMPILED_SOURCES.extend(text for _, text in extra_sources)
        key = "\0".join([toolchain_digest(), self.abi, name, c_source, *extra_cflags]
                         + (["c++"] if cplusplus else [])
                         + [part for src in extra_sources for part in src])
        outdir = self.workdir / hashlib.sha1(key.encode()).hexdigest()[:16]
        outdir.mkdir(exist_ok=True)
        out = outdir / module_filename(name, self.abi)
        if not out.exists():
            # Private names until the rename: other workers may build the same.
            tmp = "%d.%d" % (os.getpid(), threading.get_ident())
            ext = ".cpp" if cplusplus else ".c"
            src = outdir / ("%s.%s%s" % (name, tmp, ext))
            src.write_text(c_source)
            partial = outdir / (out.name + "." + tmp)
            more = []
            for fname, text in extra_sources:
                # in a directory of this build's own: other workers may be
                # writing the same file name for the same key meanwhile
                path = outdir / ("tu-" + tmp) / fname
                path.parent.mkdir(exist_ok=True)
                path.write_text(text)
                more.append(str(path))
            if cplusplus:
                std = [] if any(f.startswith("-std=") for f in extra_cflags) else ["-std=c++11"]
                cmd = ["g++", "-shared", *CXXFLAGS, *std, *ABI_FLAGS[self.abi], *extra_cflags]
            else:
                cmd = ["gcc", "-shared", *CFLAGS, *ABI_FLAGS[self.abi], *extra_cflags]
            cmd += ["-I" + d for d in include_dirs(self.abi, self.devel)]
            cmd += [str(src), *more, *self.helper_objects(), "-o", str(partial)]
            r = subprocess.run(cmd, capture_output=True, text=True)
            if r.returncode != 0:
                raise RuntimeError("compilation failed:\n%s\n%s" % (" ".join(cmd), r.stderr))
            os.replace(partial, out)
            os.replace(src, outdir / (name + ext))
        return out

    def make_module(self, snippet, name="mytest", extra_cflags=(), cplusplus=False):
        path = self.compile(name, expand_snippet(name, snippet), extra_cflags, cplusplus)
        return load_module_once(name, path, self.abi + ("+" + self.mode if self.mode else ""))


def load_module_once(name, path, abi):
    """load_module, except with --check-refleaks, where every run of a test
    body gets the module its first run loaded (REUSE_LOADED_MODULES)."""
    if not REUSE_LOADED_MODULES:
        return load_module(name, path, abi)
    key = (str(path), abi)
    if key not in LOADED_MODULES:
        LOADED_MODULES[key] = load_module(name, path, abi)
    return LOADED_MODULES[key]


def load_module(name, path, abi, mode=None):
    """Loads a compiled snippet; `abi` may name a mode ('debug',
    'hybrid+debug', 'trace'), which an explicit `mode` overrides."""
    path = str(path)
    abi, abi_mode = split_abi(abi)
    if mode is None and abi_mode is not None:
        import hpy.universal
        mode = {"debug": hpy.universal.MODE_DEBUG, "trace": hpy.universal.MODE_TRACE}[abi_mode]
    if abi == "cpython":
        spec = importlib.util.spec_from_file_location(name, path)
        mod = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(mod)
        return mod
    import hpy.universal
    if loaded_runtime() == "upstream":
        path = _private_copy(path)
    spec = importlib.machinery.ModuleSpec(name, None, origin=path)
    if mode is None:
        return hpy.universal.load(name, path, spec)
    return hpy.universal.load(name, path, spec, mode=mode)


def load_bootstrap_in_child(name, path, env, expr):
    """Runs a child interpreter that loads the module `name` from `path` as
    `m` with hpy.universal._load_bootstrap and the environment `env` (a dict
    of HPY, HPY_LOG), then prints the Python expression `expr` (`u` is
    hpy.universal); returns the child's stdout."""
    code = (
        "import importlib.machinery, hpy.universal as u;"
        "s = importlib.machinery.ModuleSpec(%r, None, origin=%r);"
        "m = u._load_bootstrap(%r, %r, None, %r, None, s, %r);"
        "print(%s)" % (name, str(path), name, name, str(path), env, expr)
    )
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout


_COPIES = None


def _private_copy(path):
    """HPy 0.9.0 corrupts the first module's HPyField members when one file
    is loaded as a second module in the same process (docs/compat.md), as
    the suite's cached binaries are; its own tests build a file per module.
    So under upstream's runtime each load gets a copy of the same binary."""
    global _COPIES
    import shutil
    import tempfile
    if _COPIES is None:
        _COPIES = tempfile.TemporaryDirectory(prefix="hpy-upstream-loads-")
    outdir = tempfile.mkdtemp(dir=_COPIES.name)
    copy = os.path.join(outdir, os.path.basename(path))
    shutil.copyfile(path, copy)
    return copy
