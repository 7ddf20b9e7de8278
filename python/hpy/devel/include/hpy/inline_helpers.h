/*
 * Public functions that are not context members: thin compositions of API
 * calls, identical in every ABI. Included last by hpy.h, once every API
 * function they use is defined.
 */
#ifndef HPY_INLINE_HELPERS_H
#define HPY_INLINE_HELPERS_H

#include <limits.h>

/* ---- errors ------------------------------------------------------------- */

/* Raise h_type (an OSError subclass) from the current errno. Returns
   HPy_NULL, for `return HPyErr_SetFromErrno(...);`. */
HPyAPI_INLINE_HELPER HPy
HPyErr_SetFromErrno(HPyContext *ctx, HPy h_type)
{
    HPyErr_SetFromErrnoWithFilenameObjects(ctx, h_type, HPy_NULL, HPy_NULL);
    return HPy_NULL;
}

/* Same, naming one file (a str; may be HPy_NULL). */
HPyAPI_INLINE_HELPER HPy
HPyErr_SetFromErrnoWithFilenameObject(HPyContext *ctx, HPy h_type, HPy filename)
{
    HPyErr_SetFromErrnoWithFilenameObjects(ctx, h_type, filename, HPy_NULL);
    return HPy_NULL;
}

/* ---- tuples ------------------------------------------------------------- */

/* HPyTuple_Pack(ctx, n, h1, ..., hn): a new tuple of the n handles (which
   stay owned by the caller). Small tuples are assembled on the stack. */
HPyAPI_INLINE_HELPER HPy
HPyTuple_Pack(HPyContext *ctx, HPy_ssize_t n, ...)
{
    HPy on_stack[16];
    HPy *items = on_stack;
    HPy result;
    HPy_ssize_t i;
    va_list ap;

    if (n < 0)
        n = 0;
    if ((size_t)n > sizeof(on_stack) / sizeof(on_stack[0])) {
        items = (HPy *)malloc((size_t)n * sizeof(HPy));
        if (items == NULL) {
            HPyErr_NoMemory(ctx);
            return HPy_NULL;
        }
    }
    va_start(ap, n);
    for (i = 0; i < n; i++)
        items[i] = va_arg(ap, HPy);
    va_end(ap);
    result = HPyTuple_FromArray(ctx, items, n);
    if (items != on_stack)
        free(items);
    return result;
}

/* ---- attributes ------------------------------------------------------------
   `del obj.name`: setting an attribute to HPy_NULL deletes it. */

HPyAPI_INLINE_HELPER int
HPy_DelAttr(HPyContext *ctx, HPy obj, HPy name)
{
    return HPy_SetAttr(ctx, obj, name, HPy_NULL);
}

HPyAPI_INLINE_HELPER int
HPy_DelAttr_s(HPyContext *ctx, HPy obj, const char *utf8_name)
{
    return HPy_SetAttr_s(ctx, obj, utf8_name, HPy_NULL);
}

/* ---- C integer types of platform-dependent width ------------------------
   The API only has fixed-width conversions; these pick the right one at
   compile time. Errors are reported as in the fixed-width functions: -1
   (or its unsigned equivalent) with an exception set. */

HPyAPI_INLINE_HELPER HPy
HPyLong_FromLong(HPyContext *ctx, long l)
{
#if LONG_MAX == INT32_MAX
    return HPyLong_FromInt32_t(ctx, (int32_t)l);
#else
    return HPyLong_FromInt64_t(ctx, (int64_t)l);
#endif
}

HPyAPI_INLINE_HELPER HPy
HPyLong_FromUnsignedLong(HPyContext *ctx, unsigned long l)
{
#if ULONG_MAX == UINT32_MAX
    return HPyLong_FromUInt32_t(ctx, (uint32_t)l);
#else
    return HPyLong_FromUInt64_t(ctx, (uint64_t)l);
#endif
}

HPyAPI_INLINE_HELPER HPy
HPyLong_FromLongLong(HPyContext *ctx, long long l)
{
    return HPyLong_FromInt64_t(ctx, (int64_t)l);
}

HPyAPI_INLINE_HELPER HPy
HPyLong_FromUnsignedLongLong(HPyContext *ctx, unsigned long long l)
{
    return HPyLong_FromUInt64_t(ctx, (uint64_t)l);
}

/* Accepts any object with __index__; OverflowError if out of range. */
HPyAPI_INLINE_HELPER long
HPyLong_AsLong(HPyContext *ctx, HPy h)
{
#if LONG_MAX == INT32_MAX
    return (long)HPyLong_AsInt32_t(ctx, h);
#else
    return (long)HPyLong_AsInt64_t(ctx, h);
#endif
}

/* Requires an int; OverflowError if negative or out of range. */
HPyAPI_INLINE_HELPER unsigned long
HPyLong_AsUnsignedLong(HPyContext *ctx, HPy h)
{
#if ULONG_MAX == UINT32_MAX
    return (unsigned long)HPyLong_AsUInt32_t(ctx, h);
#else
    return (unsigned long)HPyLong_AsUInt64_t(ctx, h);
#endif
}

/* Accepts any object with __index__; wraps modulo ULONG_MAX + 1. */
HPyAPI_INLINE_HELPER unsigned long
HPyLong_AsUnsignedLongMask(HPyContext *ctx, HPy h)
{
#if ULONG_MAX == UINT32_MAX
    return (unsigned long)HPyLong_AsUInt32_tMask(ctx, h);
#else
    return (unsigned long)HPyLong_AsUInt64_tMask(ctx, h);
#endif
}

HPyAPI_INLINE_HELPER long long
HPyLong_AsLongLong(HPyContext *ctx, HPy h)
{
    return (long long)HPyLong_AsInt64_t(ctx, h);
}

HPyAPI_INLINE_HELPER unsigned long long
HPyLong_AsUnsignedLongLong(HPyContext *ctx, HPy h)
{
    return (unsigned long long)HPyLong_AsUInt64_t(ctx, h);
}

HPyAPI_INLINE_HELPER unsigned long long
HPyLong_AsUnsignedLongLongMask(HPyContext *ctx, HPy h)
{
    return (unsigned long long)HPyLong_AsUInt64_tMask(ctx, h);
}

_HPy_STATIC_ASSERT(sizeof(long long) == sizeof(int64_t),
                   "hpy assumes a 64-bit long long");

HPyAPI_INLINE_HELPER HPy
HPyBool_FromLong(HPyContext *ctx, long v)
{
    return HPyBool_FromBool(ctx, v != 0);
}

/* ---- slices ------------------------------------------------------------- */

static inline HPy_ssize_t
_HPySlice_ClipIndex(HPy_ssize_t i, HPy_ssize_t length, HPy_ssize_t lo, HPy_ssize_t hi)
{
    if (i < 0) {
        i += length;
        return i < 0 ? lo : i;
    }
    return i >= length ? hi : i;
}

/* Clip *start and *stop (as returned by HPySlice_Unpack) to a sequence of
   `length` items, the way CPython slices do, and return the number of items
   the slice selects. step must not be 0. Never fails, never calls Python. */
HPyAPI_INLINE_HELPER HPy_ssize_t
HPySlice_AdjustIndices(HPyContext *ctx, HPy_ssize_t length,
                       HPy_ssize_t *start, HPy_ssize_t *stop, HPy_ssize_t step)
{
    /* Walking backwards, positions run from length-1 down to -1 (one before
       the first item); forwards, from 0 up to length (one past the last). */
    HPy_ssize_t lo = step < 0 ? -1 : 0;
    HPy_ssize_t hi = step < 0 ? length - 1 : length;
    (void)ctx;
    *start = _HPySlice_ClipIndex(*start, length, lo, hi);
    *stop = _HPySlice_ClipIndex(*stop, length, lo, hi);
    if (step < 0)
        return *stop < *start ? (*start - *stop - 1) / (-step) + 1 : 0;
    return *start < *stop ? (*stop - *start - 1) / step + 1 : 0;
}

/* ---- calls -------------------------------------------------------------- */

/* receiver.<name>(*args, **kw): `args` is a tuple, `kw` a dict or
   HPy_NULL. Returns a new handle, or HPy_NULL with an exception set. */
HPyAPI_INLINE_HELPER HPy
HPy_CallMethodTupleDict_s(HPyContext *ctx, const char *utf8_name, HPy receiver,
                          HPy args, HPy kw)
{
    HPy result;
    HPy method = HPy_GetAttr_s(ctx, receiver, utf8_name);
    if (HPy_IsNull(method))
        return HPy_NULL;
    result = HPy_CallTupleDict(ctx, method, args, kw);
    HPy_Close(ctx, method);
    return result;
}

/* Same, with the method name as a str handle. */
HPyAPI_INLINE_HELPER HPy
HPy_CallMethodTupleDict(HPyContext *ctx, HPy name, HPy receiver, HPy args, HPy kw)
{
    HPy result;
    HPy method = HPy_GetAttr(ctx, receiver, name);
    if (HPy_IsNull(method))
        return HPy_NULL;
    result = HPy_CallTupleDict(ctx, method, args, kw);
    HPy_Close(ctx, method);
    return result;
}

/* ---- capsules ------------------------------------------------------------
   Named accessors over the two keyed context members. */

HPyAPI_INLINE_HELPER void *
HPyCapsule_GetPointer(HPyContext *ctx, HPy capsule, const char *utf8_name)
{
    return HPyCapsule_Get(ctx, capsule, HPyCapsule_key_Pointer, utf8_name);
}

HPyAPI_INLINE_HELPER const char *
HPyCapsule_GetName(HPyContext *ctx, HPy capsule)
{
    return (const char *)HPyCapsule_Get(ctx, capsule, HPyCapsule_key_Name, NULL);
}

HPyAPI_INLINE_HELPER void *
HPyCapsule_GetContext(HPyContext *ctx, HPy capsule)
{
    return HPyCapsule_Get(ctx, capsule, HPyCapsule_key_Context, NULL);
}

HPyAPI_INLINE_HELPER int
HPyCapsule_SetPointer(HPyContext *ctx, HPy capsule, void *pointer)
{
    return HPyCapsule_Set(ctx, capsule, HPyCapsule_key_Pointer, pointer);
}

HPyAPI_INLINE_HELPER int
HPyCapsule_SetName(HPyContext *ctx, HPy capsule, const char *utf8_name)
{
    return HPyCapsule_Set(ctx, capsule, HPyCapsule_key_Name, (void *)utf8_name);
}

HPyAPI_INLINE_HELPER int
HPyCapsule_SetContext(HPyContext *ctx, HPy capsule, void *context)
{
    return HPyCapsule_Set(ctx, capsule, HPyCapsule_key_Context, context);
}

HPyAPI_INLINE_HELPER int
HPyCapsule_SetDestructor(HPyContext *ctx, HPy capsule, HPyCapsule_Destructor *destructor)
{
    return HPyCapsule_Set(ctx, capsule, HPyCapsule_key_Destructor, (void *)destructor);
}

/* ---- HPyType_HELPERS support ---------------------------------------------
   The accessor for a struct of the given shape; see hpy/hpytype.h. */

HPyAPI_FUNC void *
_HPy_AsStructOfShape(HPyContext *ctx, HPy h, HPyType_BuiltinShape shape)
{
    switch (shape) {
    case HPyType_BuiltinShape_Legacy:  return _HPy_AsStruct_Legacy(ctx, h);
    case HPyType_BuiltinShape_Type:    return _HPy_AsStruct_Type(ctx, h);
    case HPyType_BuiltinShape_Long:    return _HPy_AsStruct_Long(ctx, h);
    case HPyType_BuiltinShape_Float:   return _HPy_AsStruct_Float(ctx, h);
    case HPyType_BuiltinShape_Unicode: return _HPy_AsStruct_Unicode(ctx, h);
    case HPyType_BuiltinShape_Tuple:   return _HPy_AsStruct_Tuple(ctx, h);
    case HPyType_BuiltinShape_List:    return _HPy_AsStruct_List(ctx, h);
    case HPyType_BuiltinShape_Object:
    default:                           return _HPy_AsStruct_Object(ctx, h);
    }
}

#endif /* HPY_INLINE_HELPERS_H */
