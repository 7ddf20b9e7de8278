"""Build HPy extensions with setuptools.

In ``setup.py``::

    from setuptools import setup, Extension

    setup(
        name="example",
        hpy_ext_modules=[Extension("example", sources=["example.c"])],
    )

``hpy_ext_modules`` is a setup keyword registered by this package (entry
point group ``distutils.setup_keywords``); it needs no import of
``hpy.devel`` in ``setup.py``.  The ABI is chosen with a *global* option,
written before the command::

    python setup.py --hpy-abi=universal build_ext --inplace

or in ``setup.cfg``::

    [global]
    hpy_abi = universal

or, through pip / PEP 517, with
``--config-settings=--global-option=--hpy-abi=universal``.  The ABIs are
``cpython`` (an ordinary extension module, the default on CPython),
``universal`` (``NAME.hpy0.so``, loadable by any HPy runtime) and ``hybrid``
(``NAME.hpy0-cp311.so``: universal plus legacy ``Python.h`` calls).  Universal
and hybrid binaries come with a loader stub ``NAME.py``, so that ``import
NAME`` works after ``build_ext --inplace`` and from wheels.

``--hpy-use-static-libs`` links prebuilt helper libraries from ``lib/<abi>/``
instead of compiling the helper sources into each extension (and falls back
to the sources when no such library is shipped).

Where the headers and helper sources come from
----------------------------------------------

:class:`HPyDevel` looks under a *base directory*: ``include/`` (the headers;
``include/hpy/forbid_python_h/`` shadows ``Python.h`` in universal builds),
``src/runtime/`` (C helper sources; ``ctx_*.c`` are needed only by the
cpython ABI) and, optionally, ``lib/<abi>/`` (prebuilt static libraries).
The base directory is, in this order: the ``base_dir`` argument of
``HPyDevel``; the environment variable ``HPY_DEVEL_BASE_DIR``; the directory
of this package.
"""

import os
import types
from pathlib import Path

from setuptools.errors import SetupError

from . import _build
from ._build import (
    DEFAULT_HPY_ABI,
    HPyExtensionName,
    build_ext_hpy_mixin,
    build_hpy_mixin,
    install_lib_hpy_mixin,
    is_hpy_extension,
    make_mixin,
    monkeypatch,
    remember_hpy_extension,
    _HPY_UNIVERSAL_MODULE_STUB_TEMPLATE,  # noqa: F401 (kept importable)
)
from .abitag import get_hpy_ext_suffix
from .version import __version__  # noqa: F401

__all__ = [
    "DEFAULT_HPY_ABI",
    "HPyDevel",
    "HPyExtensionName",
    "build_ext_hpy_mixin",
    "build_hpy_mixin",
    "get_hpy_ext_suffix",
    "handle_hpy_ext_modules",
    "install_lib_hpy_mixin",
    "is_hpy_extension",
    "make_mixin",
    "monkeypatch",
    "remember_hpy_extension",
]

#: Environment variable naming another base directory for HPyDevel() (for
#: instance to build against another tree of headers and helper sources).
BASE_DIR_ENV_VAR = "HPY_DEVEL_BASE_DIR"


class HPyDevel:
    """Locations of the HPy headers, helper sources and static libraries,
    and the hook that teaches a setuptools ``Distribution`` to build
    ``hpy_ext_modules``.

    ``base_dir`` defaults to ``$HPY_DEVEL_BASE_DIR`` if set, otherwise to the
    directory of this package.
    """

    _DEFAULT_BASE_DIR = Path(os.path.abspath(os.path.dirname(__file__)))

    def __init__(self, base_dir=None):
        if base_dir is None:
            base_dir = (os.environ.get(BASE_DIR_ENV_VAR)
                        or self._DEFAULT_BASE_DIR)
        self.base_dir = Path(base_dir)
        self.include_dir = self.base_dir / "include"
        self.src_dir = self.base_dir / "src" / "runtime"
        self._available_static_libs = None

    def __repr__(self):
        return "%s(%r)" % (type(self).__name__, str(self.base_dir))

    # -- headers ---------------------------------------------------------

    def get_extra_include_dirs(self):
        """Include directories every HPy extension needs, in any ABI."""
        return [str(self.include_dir)]

    def get_include_dir_forbid_python_h(self):
        """The directory whose ``Python.h`` stops a universal build that
        includes ``Python.h``; it goes first on the include path."""
        return self.include_dir / "hpy" / "forbid_python_h"

    # -- sources ---------------------------------------------------------

    def _runtime_sources(self, pattern):
        return sorted(str(p) for p in self.src_dir.glob(pattern)
                      if p.is_file())

    def get_extra_sources(self):
        """C helper sources (argument parsing, value building, helpers...)
        compiled into every HPy extension, in any ABI."""
        ctx = set(self.get_ctx_sources())
        return [p for p in self._runtime_sources("*.c") if p not in ctx]

    def get_ctx_sources(self):
        """C sources implementing context functions for the cpython ABI,
        where there is no runtime to provide them."""
        return self._runtime_sources("ctx_*.c")

    # -- static libraries ------------------------------------------------

    def _scan_static_lib_dir(self):
        """Map each ABI to the files in ``<base_dir>/lib/<abi>/``."""
        found = {}
        lib_dir = self.base_dir / "lib"
        if lib_dir.is_dir():
            for abi_dir in sorted(lib_dir.iterdir()):
                if abi_dir.is_dir():
                    found[abi_dir.name] = sorted(
                        str(f) for f in abi_dir.iterdir() if f.is_file())
        return found

    def get_static_libs(self, hpy_abi):
        """Prebuilt static libraries holding the helpers (and, for the
        cpython ABI, the context functions) for ``hpy_abi``, or None if
        none is shipped.  An extension links all of them."""
        if self._available_static_libs is None:
            self._available_static_libs = self._scan_static_lib_dir()
        return self._available_static_libs.get(hpy_abi)

    # -- setuptools integration -----------------------------------------

    def fix_distribution(self, dist):
        """Make ``dist`` build its ``hpy_ext_modules``.

        Installs the HPy versions of the ``build``, ``build_ext`` and
        ``install_lib`` commands (subclassing whatever ``dist.cmdclass`` already has), and
        makes ``dist.has_ext_modules()`` count the HPy extensions.  Called
        for setup scripts by :func:`handle_hpy_ext_modules`; test harnesses
        call it directly after setting ``dist.hpy_abi`` and
        ``dist.hpy_ext_modules``.
        """
        dist.hpydevel = self
        for attr, default in (("hpy_abi", DEFAULT_HPY_ABI),
                              ("hpy_use_static_libs", False),
                              ("hpy_ext_modules", None)):
            if getattr(dist, attr, None) is None:
                setattr(dist, attr, default)

        # With only hpy_ext_modules, the distribution must still count as
        # having extensions: that is what runs build_ext and makes wheels
        # platform-specific.
        if not getattr(dist.has_ext_modules, "_hpy_aware", False):
            def has_ext_modules(self):
                return bool(self.ext_modules
                            or getattr(self, "hpy_ext_modules", None))
            has_ext_modules._hpy_aware = True
            dist.has_ext_modules = types.MethodType(has_ext_modules, dist)

        build = dist.cmdclass.get("build", _build.default_build_command())
        if build is not None and not _build.is_hpy_build(build):
            dist.cmdclass["build"] = make_mixin(build, build_hpy_mixin)

        build_ext = dist.cmdclass.get("build_ext",
                                      _build.default_build_ext_command())
        self.build_ext_sanity_check(build_ext)
        if not _build.is_hpy_build_ext(build_ext):
            dist.cmdclass["build_ext"] = make_mixin(build_ext,
                                                    build_ext_hpy_mixin)

        install_lib = dist.cmdclass.get("install_lib",
                                        _build.default_install_lib_command())
        if not _build.is_hpy_install_lib(install_lib):
            dist.cmdclass["install_lib"] = make_mixin(install_lib,
                                                      install_lib_hpy_mixin)

        _build.patch_bdist_egg_stub_writer()

    def build_ext_sanity_check(self, build_ext):
        """Refuse a ``build_ext`` that does not derive from setuptools' own:
        the HPy overrides rely on its behaviour."""
        if not isinstance(build_ext, type):
            return
        ancestry = {(cls.__module__, cls.__name__)
                    for cls in build_ext.__mro__}
        if ("setuptools.command.build_ext", "build_ext") not in ancestry:
            raise SetupError(
                "cmdclass['build_ext'] (%s.%s) does not derive from "
                "setuptools.command.build_ext.build_ext, which hpy.devel "
                "needs in order to build hpy_ext_modules; derive it from "
                "setuptools' build_ext instead of distutils'"
                % (build_ext.__module__, build_ext.__qualname__))


# Global options added to setup.py's command line; they must precede the
# command (setup.py --hpy-abi=universal build_ext).
_HPY_GLOBAL_OPTIONS = [
    ("hpy-abi=", None,
     "HPy ABI of the hpy_ext_modules: cpython, universal or hybrid "
     "(default: %s)" % DEFAULT_HPY_ABI),
    ("hpy-use-static-libs", None,
     "link the prebuilt static helper libraries of hpy.devel instead of "
     "compiling the helper sources into each extension (default: off)"),
]


def _add_global_options(dist_class):
    # Set on the class, not the instance: setuptools re-reads the class
    # attribute when it parses each command's options.  A fresh list, so
    # that the options of other Distribution classes stay untouched.
    known = {option[0] for option in dist_class.global_options}
    missing = [o for o in _HPY_GLOBAL_OPTIONS if o[0] not in known]
    if missing:
        dist_class.global_options = list(dist_class.global_options) + missing


def handle_hpy_ext_modules(dist, attr, hpy_ext_modules):
    """Handler of the ``hpy_ext_modules`` setup keyword.

    Registered in the ``distutils.setup_keywords`` entry-point group; setuptools
    calls it while the Distribution is created, before the command line and
    setup.cfg are parsed, so the ``--hpy-abi`` option added here is known in
    time.
    """
    if attr != "hpy_ext_modules":
        raise SetupError("handle_hpy_ext_modules called for %r" % (attr,))
    if not isinstance(hpy_ext_modules, (list, tuple)) or not all(
            hasattr(ext, "name") and hasattr(ext, "sources")
            for ext in hpy_ext_modules):
        raise SetupError("'hpy_ext_modules' must be a list of "
                         "setuptools.Extension objects, got %r"
                         % (hpy_ext_modules,))
    dist.hpy_ext_modules = list(hpy_ext_modules)
    # setuptools may run keyword handlers more than once
    if getattr(dist, "hpydevel", None) is not None:
        return
    _add_global_options(type(dist))
    HPyDevel().fix_distribution(dist)
