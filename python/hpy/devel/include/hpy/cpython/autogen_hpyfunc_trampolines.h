/* hpy/cpython/autogen_hpyfunc_trampolines.h, as HPy 0.9.0 names it: the HPyFunc trampolines, which hpy-rs keeps in
 * hpy/cpython/hpyfunc_trampolines.h. hpy.h includes every declaration of the ABI chosen by the HPY_ABI_*
 * macro, so extensions written for 0.9.0 that include this path compile
 * unchanged.
 */
#ifndef HPY_COMPAT_CPYTHON_AUTOGEN_HPYFUNC_TRAMPOLINES_H
#define HPY_COMPAT_CPYTHON_AUTOGEN_HPYFUNC_TRAMPOLINES_H
#include "hpy.h"
#endif
