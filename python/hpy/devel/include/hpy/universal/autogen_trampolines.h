/* hpy/universal/autogen_trampolines.h, as HPy 0.9.0 names it: the context trampolines, which hpy-rs keeps in
 * hpy/autogen/trampolines.h. hpy.h includes every declaration of the ABI chosen by the HPY_ABI_*
 * macro, so extensions written for 0.9.0 that include this path compile
 * unchanged.
 */
#ifndef HPY_COMPAT_UNIVERSAL_AUTOGEN_TRAMPOLINES_H
#define HPY_COMPAT_UNIVERSAL_AUTOGEN_TRAMPOLINES_H
#include "hpy.h"
#endif
