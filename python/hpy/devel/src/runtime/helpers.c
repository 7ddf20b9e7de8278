/*
 * HPyHelpers_*: conveniences written with the public API only, so that the
 * same source serves every ABI.
 */
#include "hpy.h"

HPyAPI_HELPER int
HPyHelpers_AddType(HPyContext *ctx, HPy obj, const char *name,
                   HPyType_Spec *hpyspec, HPyType_SpecParam *params)
{
    int status;
    HPy h_type = HPyType_FromSpec(ctx, hpyspec, params);
    if (HPy_IsNull(h_type))
        return 0;
    status = HPy_SetAttr_s(ctx, obj, name, h_type);
    HPy_Close(ctx, h_type);
    return status == 0;
}

HPyAPI_HELPER int
HPyHelpers_PackArgsAndKeywords(HPyContext *ctx, const HPy *args, size_t nargs,
                               HPy kwnames, HPy *out_args_tuple, HPy *out_kwd)
{
    HPy tuple = HPy_NULL, kwd = HPy_NULL;
    HPy_ssize_t n_kw = 0, i;

    if (out_args_tuple == NULL || out_kwd == NULL) {
        HPyErr_SetString(ctx, ctx->h_SystemError,
            "HPyHelpers_PackArgsAndKeywords: the output pointers must not "
            "be NULL");
        return 0;
    }
    if (!HPy_IsNull(kwnames)) {
        if (!HPyTuple_Check(ctx, kwnames)) {
            HPyErr_SetString(ctx, ctx->h_TypeError,
                "HPyHelpers_PackArgsAndKeywords: kwnames must be a tuple or "
                "HPy_NULL");
            return 0;
        }
        n_kw = HPy_Length(ctx, kwnames);
        if (n_kw < 0)
            return 0;
    }
    /* As in HPy 0.9.0, "none" is HPy_NULL, for the tuple as for the dict;
       HPy_CallTupleDict accepts both as such. */
    if (n_kw > 0) {
        kwd = HPyDict_New(ctx);
        if (HPy_IsNull(kwd))
            return 0;
        for (i = 0; i < n_kw; i++) {
            int status;
            HPy key = HPy_GetItem_i(ctx, kwnames, i);
            if (HPy_IsNull(key))
                goto error;
            status = HPy_SetItem(ctx, kwd, key, args[nargs + (size_t)i]);
            HPy_Close(ctx, key);
            if (status < 0)
                goto error;
        }
    }
    if (nargs > 0) {
        tuple = HPyTuple_FromArray(ctx, (HPy *)args, (HPy_ssize_t)nargs);
        if (HPy_IsNull(tuple))
            goto error;
    }
    /* the outputs are written only on success */
    *out_args_tuple = tuple;
    *out_kwd = kwd;
    return 1;

error:
    HPy_Close(ctx, kwd);
    return 0;
}
