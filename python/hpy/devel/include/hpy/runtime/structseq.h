/* hpy/runtime/structseq.h, as HPy 0.9.0 names it: HPyStructSequence_*, which hpy-rs keeps in
 * hpy/structseq.h. hpy.h includes every declaration of the ABI chosen by the HPY_ABI_*
 * macro, so extensions written for 0.9.0 that include this path compile
 * unchanged.
 */
#ifndef HPY_COMPAT_RUNTIME_STRUCTSEQ_H
#define HPY_COMPAT_RUNTIME_STRUCTSEQ_H
#include "hpy.h"
#endif
