/*
 * Universal ABI: reject calls to the Python.h bridges at compile time.
 *
 * hpy/cpy_types.h already declares them _HPY_LEGACY, but a compiler only
 * reports an error-attributed call that survives optimization, and these
 * are inline shims that vanish when inlined. So, once their definitions
 * have been seen, calls are redirected to a function that is never defined
 * and never inlined, whose call therefore always remains to be reported.
 * The arguments are still evaluated so that the user's code type-checks
 * and produces no unused-variable noise besides the one real error.
 */
#ifndef HPY_UNIVERSAL_LEGACY_H
#define HPY_UNIVERSAL_LEGACY_H

#if defined(HPY_ABI_UNIVERSAL) && _HPy_HAS_ATTRIBUTE(error)

_HPY_LEGACY void _HPy_legacy_call_in_universal_abi(void);

#define HPy_AsPyObject(ctx, h)                                                \
    ((void)(ctx), (void)(h), _HPy_legacy_call_in_universal_abi(),             \
     (cpy_PyObject *)NULL)
#define HPy_FromPyObject(ctx, obj)                                            \
    ((void)(ctx), (void)(obj), _HPy_legacy_call_in_universal_abi(), HPy_NULL)

#endif

#endif /* HPY_UNIVERSAL_LEGACY_H */
