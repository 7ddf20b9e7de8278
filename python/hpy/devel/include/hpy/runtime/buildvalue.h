/* hpy/runtime/buildvalue.h, as HPy 0.9.0 names it: HPy_BuildValue, which hpy-rs keeps in
 * hpy/buildvalue.h. hpy.h includes every declaration of the ABI chosen by the HPY_ABI_*
 * macro, so extensions written for 0.9.0 that include this path compile
 * unchanged.
 */
#ifndef HPY_COMPAT_RUNTIME_BUILDVALUE_H
#define HPY_COMPAT_RUNTIME_BUILDVALUE_H
#include "hpy.h"
#endif
