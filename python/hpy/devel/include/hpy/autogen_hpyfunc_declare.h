/* hpy/autogen_hpyfunc_declare.h, as HPy 0.9.0 names it: the HPyFunc signature declarations, which hpy-rs keeps in
 * hpy/hpyfunc.h. hpy.h includes every declaration of the ABI chosen by the HPY_ABI_*
 * macro, so extensions written for 0.9.0 that include this path compile
 * unchanged.
 */
#ifndef HPY_COMPAT_AUTOGEN_HPYFUNC_DECLARE_H
#define HPY_COMPAT_AUTOGEN_HPYFUNC_DECLARE_H
#include "hpy.h"
#endif
