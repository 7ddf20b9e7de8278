/*
 * hpy.h -- the one header an HPy extension includes.
 *
 * The same extension source builds for one of three ABIs, chosen by the build
 * system with a -D flag:
 *
 *   HPY_ABI_CPYTHON    every HPy call becomes a direct Python.h call; the
 *                      result is an ordinary CPython extension module.
 *   HPY_ABI_UNIVERSAL  every HPy call goes through the HPyContext function
 *                      table; the result (NAME.hpy0.so) loads on any runtime
 *                      of the hpy0 ABI. Python.h is never included.
 *   HPY_ABI_HYBRID     universal, plus the legacy bridges to Python.h
 *                      (HPy_AsPyObject, legacy methods and slots).
 *
 * When none is given we pick the universal ABI, the only one that does not
 * depend on the interpreter the extension is compiled against.
 */
#ifndef HPY_H
#define HPY_H

/* ---- ABI selection ------------------------------------------------------ */

#if defined(HPY_ABI_CPYTHON) + defined(HPY_ABI_UNIVERSAL) + defined(HPY_ABI_HYBRID) > 1
#  error "hpy.h: define at most one of HPY_ABI_CPYTHON, HPY_ABI_UNIVERSAL, HPY_ABI_HYBRID"
#endif

#if !defined(HPY_ABI_CPYTHON) && !defined(HPY_ABI_HYBRID) && !defined(HPY_ABI_UNIVERSAL)
   /* Defined, not just assumed, so that user code testing the macro agrees
      with what the headers do. */
#  define HPY_ABI_UNIVERSAL
#endif

#if defined(HPY_ABI_CPYTHON)
#  define HPY_ABI "cpython"
#elif defined(HPY_ABI_HYBRID)
#  define HPY_ABI "hybrid"
#else
#  define HPY_ABI "universal"
#endif

/* Version of the binary interface (the HPyContext layout and everything the
   runtime reads from an extension). A runtime accepts a module whose major
   version equals its own and whose minor version is not newer. The tag is
   the one that appears in file names (NAME.hpy0.so). */
#define HPY_ABI_VERSION 0
#define HPY_ABI_VERSION_MINOR 0
#define HPY_ABI_TAG "hpy0"

#if defined(HPY_ABI_CPYTHON) || defined(HPY_ABI_HYBRID)
#  ifndef PY_SSIZE_T_CLEAN
#    define PY_SSIZE_T_CLEAN
#  endif
#  include <Python.h>
#endif

/* Part of what hpy.h has always made available to extensions, which may
   rely on it (assert, offsetof, bool, intptr_t, malloc, va_list). */
#include <assert.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- the pieces, in dependency order ------------------------------------ */

#include "hpy/version.h"
#include "hpy/base.h"        /* compiler glue, HPyAPI_* markers          */
#include "hpy/handles.h"     /* HPy and the other opaque handle types     */
#include "hpy/cpy_types.h"   /* CPython types, opaque in universal mode    */
#include "hpy/hpyfunc.h"     /* HPyFunc_Signature, typedefs, trampolines   */
#include "hpy/hpyslot.h"     /* HPySlot_Slot                               */
#include "hpy/hpydef.h"      /* HPyDef and the HPyDef_* macros             */
#include "hpy/hpytype.h"     /* HPyType_Spec and friends                   */
#include "hpy/hpymodule.h"   /* HPyModuleDef and HPy_MODINIT               */
#include "hpy/macros.h"      /* HPy_New, rich comparison, GIL release, ... */
#include "hpy/argparse.h"    /* helpers linked into every extension:       */
#include "hpy/buildvalue.h"
#include "hpy/format.h"
#include "hpy/helpers.h"
#include "hpy/structseq.h"

/* The context layout is shared by all three ABIs; in the cpython ABI only
   its handle members are used. */
#include "hpy/autogen/ctx.h"

#ifdef HPY_ABI_CPYTHON
#  include "hpy/cpython/handles.h"
#  include "hpy/cpython/impl.h"
#  include "hpy/autogen/cpython_api.h"
#  include "hpy/cpython/context.h"
#  include "hpy/cpython/api_manual.h"
#else
#  include "hpy/autogen/trampolines.h"
#  include "hpy/universal/api_manual.h"
#  include "hpy/universal/legacy.h"
#endif

#include "hpy/inline_helpers.h"

#ifdef __cplusplus
}
#endif

#endif /* HPY_H */
