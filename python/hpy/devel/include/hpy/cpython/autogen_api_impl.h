/* hpy/cpython/autogen_api_impl.h, as HPy 0.9.0 names it: the API as Python.h calls, which hpy-rs keeps in
 * hpy/autogen/cpython_api.h. hpy.h includes every declaration of the ABI chosen by the HPY_ABI_*
 * macro, so extensions written for 0.9.0 that include this path compile
 * unchanged.
 */
#ifndef HPY_COMPAT_CPYTHON_AUTOGEN_API_IMPL_H
#define HPY_COMPAT_CPYTHON_AUTOGEN_API_IMPL_H
#include "hpy.h"
#endif
