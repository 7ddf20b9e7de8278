/*
 * Universal and hybrid ABIs: the public functions whose shape differs from
 * their context member, so hpy-codegen leaves them to this file (they are
 * marked HPyAPI_MANUAL_TRAMPOLINE in api/hpy_api.h).
 */
#ifndef HPY_UNIVERSAL_API_MANUAL_H
#define HPY_UNIVERSAL_API_MANUAL_H

/* Called through the HPy_New macro (hpy/macros.h). The runtime writes the
   data pointer into a local rather than straight into the caller's
   variable: the caller's variable then never has its address escape into
   an opaque call, and the compiler can keep it in a register and rely on
   its value across later calls. Once inlined, the local costs nothing. */
HPyAPI_FUNC HPy _HPy_New(HPyContext *ctx, HPy h_type, void **data)
{
    void *out = NULL;
    HPy h = ctx->ctx_New(ctx, h_type, &out);
    *data = out;
    return h;
}

/* The context member cannot be declared noreturn (it is a function pointer
   in a struct), so after inlining the compiler would no longer know that
   this never returns; the abort() restores that knowledge, and it is a
   last line of defence should a runtime return after all. */
HPyAPI_FUNC _HPy_NO_RETURN void HPy_FatalError(HPyContext *ctx, const char *message)
{
    ctx->ctx_FatalError(ctx, message);
    abort();
}

#endif /* HPY_UNIVERSAL_API_MANUAL_H */
