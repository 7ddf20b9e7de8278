/* hpy/runtime/ctx_module.h, as HPy 0.9.0 names it: module creation in the cpython ABI, which hpy-rs keeps in
 * hpy/cpython/modinit.h. hpy.h includes every declaration of the ABI chosen by the HPY_ABI_*
 * macro, so extensions written for 0.9.0 that include this path compile
 * unchanged.
 */
#ifndef HPY_COMPAT_RUNTIME_CTX_MODULE_H
#define HPY_COMPAT_RUNTIME_CTX_MODULE_H
#include "hpy.h"
#endif
