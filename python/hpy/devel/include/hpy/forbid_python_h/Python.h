/*
 * Decoy Python.h. The build integration puts this directory first on the
 * include path of universal-ABI builds, so that an accidental
 * `#include <Python.h>` stops the build here instead of producing a binary
 * that silently depends on one interpreter.
 */
#ifndef HPY_ABI_UNIVERSAL
#  error "hpy/forbid_python_h is on the include path of a build that does not target the HPy universal ABI: check the build configuration"
#endif

/* The message starts as HPy 0.9.0's, which build tools and tests look for. */
#error "It is forbidden to #include <Python.h> when targeting the HPy Universal ABI: use the HPy API, or build with the hybrid ABI to mix in Python.h calls"
