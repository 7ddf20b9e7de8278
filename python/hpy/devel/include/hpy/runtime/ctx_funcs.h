/* hpy/runtime/ctx_funcs.h, as HPy 0.9.0 names it: the cpython ABI's context implementations, which hpy-rs keeps in
 * hpy/cpython/impl.h (cpython ABI only). hpy.h includes every declaration of the ABI chosen by the HPY_ABI_*
 * macro, so extensions written for 0.9.0 that include this path compile
 * unchanged.
 */
#ifndef HPY_COMPAT_RUNTIME_CTX_FUNCS_H
#define HPY_COMPAT_RUNTIME_CTX_FUNCS_H
#include "hpy.h"
#endif
