/* hpy/hpyexports.h, as HPy 0.9.0 names it: HPy_EXPORTED_SYMBOL, which hpy-rs keeps in
 * hpy/base.h. hpy.h includes every declaration of the ABI chosen by the HPY_ABI_*
 * macro, so extensions written for 0.9.0 that include this path compile
 * unchanged.
 */
#ifndef HPY_COMPAT_HPYEXPORTS_H
#define HPY_COMPAT_HPYEXPORTS_H
#include "hpy.h"
#endif
