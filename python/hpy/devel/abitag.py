"""File-name tags of HPy extension modules.

An HPy module built for the cpython ABI is an ordinary extension module and
takes the interpreter's own ``EXT_SUFFIX``.  The other two ABIs are loaded by
``hpy.universal`` and carry the HPy ABI tag instead:

================  ==========================  ==============================
ABI               example (CPython 3.11)      loadable by
================  ==========================  ==============================
``cpython``       ``.cpython-311-x86_64-      this interpreter only
                  linux-gnu.so``
``universal``     ``.hpy0.so``                any HPy runtime of ABI 0
``hybrid``        ``.hpy0-cp311.so``          an HPy runtime on CPython 3.11
================  ==========================  ==============================

The hybrid tag keeps the part of ``EXT_SUFFIX`` that names the interpreter's
ABI (``cp311``, ``cp314d``, ``cp313t``, ``pypy310-pp73``, ...) and drops the
part that names the platform, because a hybrid module also uses ``Python.h``.
"""

import sys
import sysconfig

# Must agree with HPY_ABI_VERSION / HPY_ABI_VERSION_MINOR in the C headers and
# with the runtime.
HPY_ABI_VERSION = 0
HPY_ABI_VERSION_MINOR = 0
HPY_ABI_TAG = "hpy%d" % HPY_ABI_VERSION

_HPY_ABIS = ("cpython", "universal", "hybrid")

# The SOABI part of EXT_SUFFIX is a '-'-separated list whose first fields name
# the interpreter ABI and whose remaining fields name the platform.  For each
# known interpreter prefix: how many leading fields to keep.  Checked in
# order, so 'cpython' must come before 'cp'.
_INTERPRETER_FIELDS = (
    ("cpython", 2),  # cpython-311-x86_64-linux-gnu, cpython-314d-darwin
    ("cp", 1),       # cp311-win_amd64 (Windows)
    ("pypy", 2),     # pypy310-pp73-x86_64-linux-gnu
    ("graalpy", 3),  # graalpy240-310-native-x86_64-linux
)


def _config_ext_suffix():
    suffix = sysconfig.get_config_var("EXT_SUFFIX")
    if not suffix:
        raise RuntimeError(
            "this interpreter does not define the configuration variable "
            "EXT_SUFFIX; cannot name HPy extension modules")
    return suffix


def _interpreter_abi_tag():
    # Used only when EXT_SUFFIX carries no ABI part at all (e.g. plain '.so').
    impl = sys.implementation
    if impl.name == "cpython":
        return "cp%d%d%s" % (sys.version_info[0], sys.version_info[1],
                             getattr(sys, "abiflags", ""))
    return impl.cache_tag or impl.name


def parse_ext_suffix(ext_suffix=None):
    """Split an ``EXT_SUFFIX`` into ``(abi_tag, file_extension)``.

    ``abi_tag`` names the interpreter ABI in the short form used by wheel
    tags (``'cp311'``, ``'cp314d'``, ``'pypy310-pp73'``); ``file_extension``
    has no leading dot (``'so'``, ``'pyd'``, ``'dylib'``).  Without an argument
    the running interpreter's ``EXT_SUFFIX`` is parsed.
    """
    if ext_suffix is None:
        ext_suffix = _config_ext_suffix()
    if not ext_suffix.startswith("."):
        raise ValueError("not an extension suffix: %r" % (ext_suffix,))
    soabi, dot, file_ext = ext_suffix[1:].rpartition(".")
    if not dot or not soabi:
        return _interpreter_abi_tag(), file_ext

    fields = soabi.split("-")
    keep = len(fields)
    for prefix, count in _INTERPRETER_FIELDS:
        if fields[0].startswith(prefix):
            keep = count
            break
    tag = "-".join(fields[:keep])
    if tag.startswith("cpython-"):
        tag = "cp" + tag[len("cpython-"):]
    return tag, file_ext


def get_hpy_ext_suffix(hpy_abi, ext_suffix=None):
    """The file-name suffix of an HPy module built for ``hpy_abi``.

    ``ext_suffix`` defaults to the running interpreter's ``EXT_SUFFIX``; on
    CPython 3.11 / Linux the results are ``.cpython-311-x86_64-linux-gnu.so``
    (cpython), ``.hpy0.so`` (universal) and ``.hpy0-cp311.so`` (hybrid).
    """
    if hpy_abi not in _HPY_ABIS:
        raise ValueError("unknown HPy ABI %r (expected one of: %s)"
                         % (hpy_abi, ", ".join(_HPY_ABIS)))
    if ext_suffix is None:
        ext_suffix = _config_ext_suffix()
    if hpy_abi == "cpython":
        return ext_suffix
    abi_tag, file_ext = parse_ext_suffix(ext_suffix)
    if hpy_abi == "universal":
        return ".%s.%s" % (HPY_ABI_TAG, file_ext)
    return ".%s-%s.%s" % (HPY_ABI_TAG, abi_tag, file_ext)
