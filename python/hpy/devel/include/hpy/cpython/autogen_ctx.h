/* hpy/cpython/autogen_ctx.h, as HPy 0.9.0 names it: struct _HPyContext_s, which hpy-rs keeps in
 * hpy/autogen/ctx.h. hpy.h includes every declaration of the ABI chosen by the HPY_ABI_*
 * macro, so extensions written for 0.9.0 that include this path compile
 * unchanged.
 */
#ifndef HPY_COMPAT_CPYTHON_AUTOGEN_CTX_H
#define HPY_COMPAT_CPYTHON_AUTOGEN_CTX_H
#include "hpy.h"
#endif
