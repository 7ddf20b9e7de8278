/*
 * HPy_MODINIT(ext_name, mod_def) for the universal and hybrid ABIs.
 *
 * The loader of an hpy0 runtime looks up four exported symbols in
 * NAME.hpy0.so, all suffixed with the extension's file name:
 *
 *   get_required_hpy_major_version_NAME   uint32_t (void): ABI major version
 *   get_required_hpy_minor_version_NAME   uint32_t (void): ABI minor version
 *   HPyInitGlobalContext_NAME             void (HPyContext *): the context
 *                                         the module's trampolines will use
 *   HPyInit_NAME                          HPyModuleDef *(void): the definition
 *
 * The versions come first so that an incompatible module is rejected before
 * anything else of it is touched. HPyInit_NAME has no context and must not
 * call the API; the module is created by the runtime from the definition.
 *
 * HPyInitGlobalContext_NAME also decides, once, whether the trampolines may
 * call the implementations directly (see hpy/universal/hpyfunc_trampolines.h).
 */
#ifndef HPY_UNIVERSAL_MODINIT_H
#define HPY_UNIVERSAL_MODINIT_H

#define HPy_MODINIT(ext_name, mod_def)                                        \
    HPy_EXPORTED_FUNC uint32_t                                                \
    get_required_hpy_major_version_##ext_name(void)                           \
    {                                                                         \
        return HPY_ABI_VERSION;                                               \
    }                                                                         \
    HPy_EXPORTED_FUNC uint32_t                                                \
    get_required_hpy_minor_version_##ext_name(void)                           \
    {                                                                         \
        return HPY_ABI_VERSION_MINOR;                                         \
    }                                                                         \
    _HPy_CTX_MODIFIER HPyContext *_ctx_for_trampolines;                       \
    _HPy_CTX_MODIFIER HPyContext *_hpy_direct_ctx;                            \
    HPy_EXPORTED_FUNC void                                                    \
    HPyInitGlobalContext_##ext_name(HPyContext *ctx)                          \
    {                                                                         \
        _ctx_for_trampolines = ctx;                                           \
        _hpy_direct_ctx = _HPyUniv_IsDirectContext(ctx->name) ? ctx : NULL;   \
    }                                                                         \
    HPy_EXPORTED_FUNC HPyModuleDef *                                          \
    HPyInit_##ext_name(void)                                                  \
    {                                                                         \
        return &(mod_def);                                                    \
    }

#endif /* HPY_UNIVERSAL_MODINIT_H */
