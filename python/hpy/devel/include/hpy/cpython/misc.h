/* hpy/cpython/misc.h, as HPy 0.9.0 names it: the hand-written API functions, which hpy-rs keeps in
 * hpy/cpython/api_manual.h. hpy.h includes every declaration of the ABI chosen by the HPY_ABI_*
 * macro, so extensions written for 0.9.0 that include this path compile
 * unchanged.
 */
#ifndef HPY_COMPAT_CPYTHON_MISC_H
#define HPY_COMPAT_CPYTHON_MISC_H
#include "hpy.h"
#endif
