"""hpy-rs: an implementation of HPy, the handle-based C API for Python.

Subpackages and modules:

* ``hpy.universal`` -- the runtime (a compiled extension written in Rust) that
  loads universal (``*.hpy0.so``) and hybrid (``*.hpy0-cpXY.so``) modules;
* ``hpy.devel`` -- the setuptools integration, the C headers and the C helper
  sources needed to build HPy extensions.

Nothing is imported eagerly here: building an extension only needs
``hpy.devel``, which must keep working even where the compiled runtime is not
importable.
"""
