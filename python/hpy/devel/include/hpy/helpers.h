/*
 * Small conveniences built on the API. Not part of the ABI: compiled into
 * each extension.
 */
#ifndef HPY_HELPERS_H
#define HPY_HELPERS_H

/* Create a type from `hpyspec` and `params` and store it as attribute
   `name` of `obj` (typically the module, from an HPy_mod_exec slot).
   Returns 1 on success, 0 with an exception set on failure. */
HPyAPI_HELPER int
HPyHelpers_AddType(HPyContext *ctx, HPy obj, const char *name,
                   HPyType_Spec *hpyspec, HPyType_SpecParam *params);

/* Turn vectorcall-style arguments into an args tuple and a kwargs dict
   (HPy_NULL when there are no keywords), e.g. to forward them to
   HPy_CallTupleDict. Returns 1 on success, 0 on failure. */
HPyAPI_HELPER int
HPyHelpers_PackArgsAndKeywords(HPyContext *ctx, const HPy *args, size_t nargs,
                               HPy kwnames, HPy *out_args_tuple, HPy *out_kwd);

#endif /* HPY_HELPERS_H */
