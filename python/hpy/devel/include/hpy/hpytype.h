/*
 * Creating types: HPyType_Spec (what HPyType_FromSpec receives), its
 * optional parameters, the type flags, and HPyType_HELPERS, which generates
 * the typed accessor for an object's C struct.
 */
#ifndef HPY_HPYTYPE_H
#define HPY_HPYTYPE_H

#if defined(__GNUC__) || defined(__clang__)
#  define HPyAPI_UNUSED __attribute__((unused)) static inline
#else
#  define HPyAPI_UNUSED static inline
#endif

/* Where an instance's C struct sits relative to the object, decided by the
   built-in type it derives from. Knowing it statically is what makes
   MyObject_AsStruct a constant-offset computation on most runtimes.
   Object is 0 so that a spec which does not mention the shape gets it. */
typedef enum {
    /* The struct starts with PyObject_HEAD (ported C-API types). Required
       when the spec has legacy_slots. */
    HPyType_BuiltinShape_Legacy = -1,
    HPyType_BuiltinShape_Object = 0,   /* base: object (the default)      */
    HPyType_BuiltinShape_Type = 1,     /* base: type, i.e. a metaclass     */
    HPyType_BuiltinShape_Long = 2,     /* base: int                        */
    HPyType_BuiltinShape_Float = 3,    /* base: float                      */
    HPyType_BuiltinShape_Unicode = 4,  /* base: str                        */
    HPyType_BuiltinShape_Tuple = 5,    /* base: tuple                      */
    HPyType_BuiltinShape_List = 6,     /* base: list                       */
} HPyType_BuiltinShape;
/* A non-object shape also needs the matching base class among the spec
   parameters (ctx->h_TypeType, ctx->h_LongType, ...). */

typedef struct {
    cpy_vectorcallfunc cpy_trampoline;
    HPyCallFunction impl;
} HPyType_Vectorcall;

typedef struct {
    const char *name;            /* UTF-8; "module.Name" sets __module__ too  */
    int basicsize;               /* sizeof the instance struct, 0 for none    */
    int itemsize;                /* variable-size part; not supported yet     */
    unsigned long flags;         /* HPy_TPFLAGS_*                             */
    HPyType_BuiltinShape builtin_shape;  /* usually SHAPE(MyObject)           */
    void *legacy_slots;          /* NULL-terminated PyType_Slot[] (hybrid)    */
    HPyDef **defines;            /* NULL-terminated                           */
    const char *doc;             /* UTF-8, may be NULL                        */
} HPyType_Spec;

typedef enum {
    HPyType_SpecParam_Base = 1,        /* one base class; may repeat          */
    HPyType_SpecParam_BasesTuple = 2,  /* a tuple of bases; excludes Base     */
    HPyType_SpecParam_Metaclass = 3,
} HPyType_SpecParam_Kind;

/* HPyType_FromSpec takes an array of these ended by an entry of kind 0. */
typedef struct {
    HPyType_SpecParam_Kind kind;
    HPy object;
} HPyType_SpecParam;

/* ---- flags -----------------------------------------------------------------
   Same bits as CPython's Py_TPFLAGS_*, so the cpython ABI and the CPython
   runtime pass them through. Every HPy type is a heap type. */

#define HPy_TPFLAGS_DEFAULT ((1UL << 9) | (1UL << 18)) /* HEAPTYPE | HAVE_VERSION_TAG */
#define HPy_TPFLAGS_BASETYPE (1UL << 10)         /* may be subclassed        */
#define HPy_TPFLAGS_HAVE_VECTORCALL (1UL << 11)  /* instances are callable
                                                    through HPyCallFunction  */
#define HPy_TPFLAGS_HAVE_GC (1UL << 14)          /* tracked by the cycle GC;
                                                    needs HPy_tp_traverse    */

/* ---- HPyType_HELPERS(TYPE [, SHAPE]) ---------------------------------------
   For a struct TYPE, defines
     - the constant TYPE_SHAPE, read by SHAPE(TYPE) in the spec, and
     - static inline TYPE *TYPE_AsStruct(HPyContext *ctx, HPy h).
   SHAPE defaults to HPyType_BuiltinShape_Object and may be any constant
   expression of type HPyType_BuiltinShape. */

#define HPyType_HELPERS(...) \
    _HPy_PP_EXPAND(_HPyType_HELPERS2(__VA_ARGS__, HPyType_BuiltinShape_Object, ~))

#define HPyType_LEGACY_HELPERS(TYPE) \
    HPyType_HELPERS(TYPE, HPyType_BuiltinShape_Legacy)

#define SHAPE(TYPE) ((HPyType_BuiltinShape)TYPE##_SHAPE)

/* Extra rescan for MSVC's traditional preprocessor, which otherwise passes
   __VA_ARGS__ on as a single argument. */
#define _HPy_PP_EXPAND(x) x

#define _HPyType_HELPERS2(TYPE, SHAPE_VALUE, ...)                             \
    enum { TYPE##_SHAPE = (int)(SHAPE_VALUE) };                               \
    HPyAPI_UNUSED TYPE *TYPE##_AsStruct(HPyContext *ctx, HPy h)               \
    {                                                                         \
        return (TYPE *)_HPy_AsStructOfShape(ctx, h,                           \
                                            (HPyType_BuiltinShape)TYPE##_SHAPE); \
    }

/* _HPy_AsStructOfShape (hpy/inline_helpers.h) switches on the shape; with a
   constant shape the compiler keeps only the one _HPy_AsStruct_* call. */

#endif /* HPY_HPYTYPE_H */
