/*
 * Compiler glue and the markers that say how each kind of API function is
 * compiled. Included first by hpy.h; nothing here depends on the ABI except
 * _HPY_LEGACY.
 */
#ifndef HPY_BASE_H
#define HPY_BASE_H

#if defined(__GNUC__) || defined(__clang__)
#  define _HPy_HIDDEN __attribute__((visibility("hidden")))
#  define _HPy_UNUSED __attribute__((unused))
#else
#  define _HPy_HIDDEN
#  define _HPy_UNUSED
#endif

#if defined(__GNUC__) || defined(__clang__)
#  define _HPy_NO_RETURN __attribute__((__noreturn__))
#elif defined(_MSC_VER)
#  define _HPy_NO_RETURN __declspec(noreturn)
#else
#  define _HPy_NO_RETURN
#endif

#if defined(__GNUC__) || defined(__clang__)
#  define _HPy_LIKELY(x)   __builtin_expect(!!(x), 1)
#  define _HPy_UNLIKELY(x) __builtin_expect(!!(x), 0)
#else
#  define _HPy_LIKELY(x)   (x)
#  define _HPy_UNLIKELY(x) (x)
#endif

/* Out of line and out of the hot text: for paths a caller should not pay
   a stack frame for. */
#if defined(__GNUC__) || defined(__clang__)
#  define _HPy_COLD __attribute__((noinline, cold))
#elif defined(_MSC_VER)
#  define _HPy_COLD __declspec(noinline)
#else
#  define _HPy_COLD
#endif

#ifdef __has_attribute
#  define _HPy_HAS_ATTRIBUTE(x) __has_attribute(x)
#else
#  define _HPy_HAS_ATTRIBUTE(x) 0
#endif

/* Functions that only exist to bridge to Python.h. In the universal ABI a
   call to one of them must fail at compile time, not at load time, so we
   attach an error attribute where the compiler has one (see also
   hpy/universal/legacy.h). */
#if defined(HPY_ABI_UNIVERSAL) && _HPy_HAS_ATTRIBUTE(error)
#  define _HPY_LEGACY                                                          \
     __attribute__((error("Cannot use legacy functions when targeting the "    \
                          "HPy Universal ABI: this bridge to Python.h needs "  \
                          "the hybrid ABI")))
#else
#  define _HPY_LEGACY
#endif

#if defined(__cplusplus)
#  define _HPy_STATIC_ASSERT(cond, msg) static_assert(cond, msg)
#else
#  define _HPy_STATIC_ASSERT(cond, msg) _Static_assert(cond, msg)
#endif

/* The three kinds of functions in the API:
 *
 *   HPyAPI_FUNC    the public API (HPy_Add, HPyType_FromSpec, ...). Always a
 *                  static inline shim: a ctx->ctx_X call in the universal
 *                  ABI, a Python.h call (or an HPyAPI_IMPL call) in the
 *                  cpython ABI. Unused ones must not warn.
 *   HPyAPI_IMPL    C implementations behind the cpython ABI, compiled from
 *                  the helper sources into the extension itself, so hidden.
 *   HPyAPI_HELPER  public functions that are not part of the ABI (argument
 *                  parsing, formatting, ...): also compiled into every
 *                  extension, also hidden.
 */
#define HPyAPI_FUNC          _HPy_UNUSED static inline
#define HPyAPI_INLINE_HELPER HPyAPI_FUNC
#define HPyAPI_IMPL          _HPy_HIDDEN
#define HPyAPI_HELPER        _HPy_HIDDEN

/* Symbols the runtime looks up in a module binary. */
#ifndef HPy_EXPORTED_SYMBOL
#  if defined(_WIN32) || defined(__CYGWIN__)
#    define HPy_EXPORTED_SYMBOL __declspec(dllexport)
#  else
#    define HPy_EXPORTED_SYMBOL __attribute__((visibility("default")))
#  endif
#endif

#ifdef __cplusplus
#  define HPy_EXPORTED_FUNC extern "C" HPy_EXPORTED_SYMBOL
#else
#  define HPy_EXPORTED_FUNC HPy_EXPORTED_SYMBOL
#endif

#endif /* HPY_BASE_H */
