/* hpy/autogen_hpyslot.h, as HPy 0.9.0 names it: HPySlot_Slot, which hpy-rs keeps in
 * hpy/hpyslot.h. hpy.h includes every declaration of the ABI chosen by the HPY_ABI_*
 * macro, so extensions written for 0.9.0 that include this path compile
 * unchanged.
 */
#ifndef HPY_COMPAT_AUTOGEN_HPYSLOT_H
#define HPY_COMPAT_AUTOGEN_HPYSLOT_H
#include "hpy.h"
#endif
