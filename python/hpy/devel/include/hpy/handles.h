/*
 * The opaque value types of the API and the scalar typedefs.
 *
 * Every handle-like type is a one-word struct rather than a bare integer or
 * pointer: the compiler then refuses to mix an HPy with an HPyField, and the
 * runtime is free to put whatever it wants in the word (a PyObject*, its
 * complement, an index, a tagged value, a debug record...). Only the value 0
 * has a fixed meaning, "no object", and it means that in every ABI.
 */
#ifndef HPY_HANDLES_H
#define HPY_HANDLES_H

typedef struct _HPy_s { intptr_t _i; } HPy;

typedef struct { intptr_t _i; } HPyField;        /* a reference stored inside an object   */
typedef struct { intptr_t _i; } HPyGlobal;       /* a reference stored in a C global       */
typedef struct { intptr_t _lst; } HPyListBuilder;
typedef struct { intptr_t _tup; } HPyTupleBuilder;
typedef struct { intptr_t _i; } HPyTracker;
typedef struct { intptr_t _i; } HPyThreadState;

typedef struct _HPyContext_s HPyContext;

/* Compound literals are C99; C++ spells the same thing with braces. */
#ifdef __cplusplus
#  define _HPy_MAKE(T, v) (T{(intptr_t)(v)})
#else
#  define _HPy_MAKE(T, v) ((T){(intptr_t)(v)})
#endif

#define HPy_NULL _HPy_MAKE(HPy, 0)
#define HPy_IsNull(h) ((h)._i == 0)

#define HPyField_NULL _HPy_MAKE(HPyField, 0)
#define HPyField_IsNull(f) ((f)._i == 0)

/* Round-trip a handle through a void* slot (C callbacks with a user-data
   pointer). The handle keeps its ownership rules. */
static inline HPy HPy_FromVoidP(void *p) { return _HPy_MAKE(HPy, p); }
static inline void *HPy_AsVoidP(HPy h) { return (void *)h._i; }

/* Sizes and hashes. In the cpython ABI they are the interpreter's own types,
   so values pass through unchanged; elsewhere they are pointer-sized, which
   is what every runtime of the hpy0 ABI uses. */
#ifdef HPY_ABI_CPYTHON
typedef Py_ssize_t HPy_ssize_t;
typedef Py_hash_t HPy_hash_t;
typedef Py_UCS4 HPy_UCS4;
#  define HPY_SSIZE_T_MAX PY_SSIZE_T_MAX
#  define HPY_SSIZE_T_MIN PY_SSIZE_T_MIN
#else
typedef intptr_t HPy_ssize_t;
typedef intptr_t HPy_hash_t;
typedef uint32_t HPy_UCS4;
#  define HPY_SSIZE_T_MAX INTPTR_MAX
#  define HPY_SSIZE_T_MIN (-HPY_SSIZE_T_MAX - 1)
#endif

/* Start symbol for HPy_Compile_s (same meaning as Py_eval_input,
   Py_file_input and Py_single_input, but our own numbering). */
typedef enum {
    HPy_SourceKind_Expr = 0,    /* one expression                      */
    HPy_SourceKind_File = 1,    /* a module: any sequence of statements */
    HPy_SourceKind_Single = 2,  /* one interactive statement            */
} HPy_SourceKind;

/* Which part of a capsule HPyCapsule_Get / HPyCapsule_Set address. The
   public accessors (HPyCapsule_GetPointer, ...) pass these for you. */
typedef enum {
    HPyCapsule_key_Pointer = 0,
    HPyCapsule_key_Name = 1,
    HPyCapsule_key_Context = 2,
    HPyCapsule_key_Destructor = 3,
} _HPyCapsule_key;

/* The `op` argument of rich comparisons; the values are CPython's Py_LT ...
   Py_GE, so the cpython ABI can pass them straight through. */
typedef enum {
    HPy_LT = 0,
    HPy_LE = 1,
    HPy_EQ = 2,
    HPy_NE = 3,
    HPy_GT = 4,
    HPy_GE = 5,
} HPy_RichCmpOp;

#endif /* HPY_HANDLES_H */
