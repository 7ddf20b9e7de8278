/*
 * HPyDef: one entry in the `defines` array of a type or module spec. It
 * describes a slot, a method, a member or a get/set descriptor.
 *
 * Every structure here is read by the runtime, so its layout is part of the
 * binary interface. They may be filled by hand, but the HPyDef_* macros
 * below are the usual way: each defines a global `HPyDef SYM`, declares the
 * implementation the user writes next (SYM_impl, SYM_get, SYM_set) and emits
 * the trampoline CPython calls.
 */
#ifndef HPY_HPYDEF_H
#define HPY_HPYDEF_H

/* Stored implementation pointer; the signature is recorded separately, so
   the pointer type is deliberately unspecific. */
typedef void *(*HPyCFunction)();

/* Function pointers are stored under types that do not match their real
   signature. Going through void (*)(void), which compilers accept as a
   neutral function pointer type, keeps such deliberate casts free of
   -Wcast-function-type warnings in user builds. */
#define _HPy_FUNC_CAST(T, f) ((T)(void (*)(void))(f))

typedef void (*HPyFunc_Capsule_Destructor)(const char *name, void *pointer, void *context);

typedef struct {
    HPySlot_Slot slot;
    HPyCFunction impl;
    cpy_PyCFunction cpy_trampoline;   /* the real C type depends on the slot */
} HPySlot;

typedef struct {
    const char *name;                 /* UTF-8 */
    HPyCFunction impl;
    cpy_PyCFunction cpy_trampoline;
    HPyFunc_Signature signature;
    const char *doc;                  /* UTF-8, may be NULL */
} HPyMeth;

/* Storage type of a member. Where CPython has an equivalent T_* / Py_T_*
   code, the number is the same. */
typedef enum {
    HPyMember_SHORT = 0,
    HPyMember_INT = 1,
    HPyMember_LONG = 2,
    HPyMember_FLOAT = 3,
    HPyMember_DOUBLE = 4,
    HPyMember_STRING = 5,          /* char *, read-only                     */
    HPyMember_OBJECT = 6,          /* HPyField; empty reads as None         */
    HPyMember_CHAR = 7,            /* one char, as a 1-character str        */
    HPyMember_BYTE = 8,            /* signed char                           */
    HPyMember_UBYTE = 9,
    HPyMember_USHORT = 10,
    HPyMember_UINT = 11,
    HPyMember_ULONG = 12,
    HPyMember_STRING_INPLACE = 13, /* char[] inside the struct, read-only   */
    HPyMember_BOOL = 14,           /* char holding 0 or 1                   */
    HPyMember_OBJECT_EX = 16,      /* HPyField; empty raises AttributeError */
    HPyMember_LONGLONG = 17,
    HPyMember_ULONGLONG = 18,
    HPyMember_HPYSSIZET = 19,      /* HPy_ssize_t                           */
    HPyMember_NONE = 20,           /* no storage; always None               */
} HPyMember_FieldType;

typedef struct {
    const char *name;                 /* UTF-8 */
    HPyMember_FieldType type;
    HPy_ssize_t offset;               /* offsetof() in the object's struct */
    int readonly;
    const char *doc;                  /* UTF-8, may be NULL */
} HPyMember;

typedef struct {
    const char *name;                 /* UTF-8 */
    HPyCFunction getter_impl;         /* NULL: write-only */
    HPyCFunction setter_impl;         /* NULL: read-only  */
    cpy_getter getter_cpy_trampoline; /* NULL exactly when getter_impl is */
    cpy_setter setter_cpy_trampoline; /* NULL exactly when setter_impl is */
    const char *doc;                  /* UTF-8, may be NULL */
    void *closure;                    /* passed to both implementations */
} HPyGetSet;

typedef enum {
    HPyDef_Kind_Slot = 1,
    HPyDef_Kind_Meth = 2,
    HPyDef_Kind_Member = 3,
    HPyDef_Kind_GetSet = 4,
} HPyDef_Kind;

/* `kind` says which member of the union is meaningful. */
typedef struct {
    HPyDef_Kind kind;
    union {
        HPySlot slot;
        HPyMeth meth;
        HPyMember member;
        HPyGetSet getset;
    };
} HPyDef;

/* Passed to HPyCapsule_New / HPyCapsule_SetDestructor; build one with
   HPyCapsule_DESTRUCTOR. */
typedef struct {
    cpy_PyCapsule_Destructor cpy_trampoline;
    HPyFunc_Capsule_Destructor impl;
} HPyCapsule_Destructor;

/* Per-object call implementation (HPy_SetCallFunction); build one with
   HPyDef_CALL_FUNCTION. */
typedef struct {
    cpy_vectorcallfunc cpy_trampoline;
    HPyFunc_keywords impl;
} HPyCallFunction;

/* ---- HPyDef_SLOT(SYM, SLOT) ---------------------------------------------
   Implementation: SYM_impl, with the signature HPySlot_SIG(SLOT). */

#define HPyDef_SLOT(SYM, SLOT) \
    HPyDef_SLOT_IMPL(SYM, SYM##_impl, SLOT)

/* The enum rejects an unknown slot name with a clear message before the
   signature lookup would fail obscurely. The extra macro level lets
   HPySlot_SIG(SLOT) expand to the signature name before it is pasted. */
#define HPyDef_SLOT_IMPL(SYM, IMPL, SLOT)                                     \
    enum { SYM##_slot = SLOT };                                               \
    _HPyDef_SLOT_WITH_SIG(SYM, IMPL, SLOT, HPySlot_SIG(SLOT))

#define _HPyDef_SLOT_WITH_SIG(SYM, IMPL, SLOT, SIG)                           \
    HPyFunc_DECLARE(IMPL, SIG);                                               \
    HPyFunc_TRAMPOLINE(SYM##_trampoline, IMPL, SIG)                           \
    HPyDef SYM = {                                                            \
        .kind = HPyDef_Kind_Slot,                                             \
        .slot = {                                                             \
            .slot = SLOT,                                                     \
            .impl = _HPy_FUNC_CAST(HPyCFunction, IMPL),                       \
            .cpy_trampoline = _HPy_FUNC_CAST(cpy_PyCFunction, SYM##_trampoline), \
        },                                                                    \
    };

/* ---- HPyDef_METH(SYM, NAME, SIG, [.doc = ...]) ---------------------------
   Implementation: SYM_impl, with the signature SIG. */

#define HPyDef_METH(SYM, NAME, SIG, ...) \
    HPyDef_METH_IMPL(SYM, NAME, SYM##_impl, SIG, __VA_ARGS__)

#define HPyDef_METH_IMPL(SYM, NAME, IMPL, SIG, ...)                           \
    HPyFunc_DECLARE(IMPL, SIG);                                               \
    HPyFunc_TRAMPOLINE(SYM##_trampoline, IMPL, SIG)                           \
    HPyDef SYM = {                                                            \
        .kind = HPyDef_Kind_Meth,                                             \
        .meth = {                                                             \
            .name = NAME,                                                     \
            .impl = _HPy_FUNC_CAST(HPyCFunction, IMPL),                       \
            .cpy_trampoline = _HPy_FUNC_CAST(cpy_PyCFunction, SYM##_trampoline), \
            .signature = SIG,                                                 \
            __VA_ARGS__                                                       \
        }                                                                     \
    };

/* ---- HPyDef_MEMBER(SYM, NAME, TYPE, OFFSET, [.readonly = 1, .doc = ...]) - */

#define HPyDef_MEMBER(SYM, NAME, TYPE, OFFSET, ...)                           \
    HPyDef SYM = {                                                            \
        .kind = HPyDef_Kind_Member,                                           \
        .member = {                                                           \
            .name = NAME,                                                     \
            .type = TYPE,                                                     \
            .offset = OFFSET,                                                 \
            __VA_ARGS__                                                       \
        }                                                                     \
    };

/* ---- HPyDef_GET / HPyDef_SET / HPyDef_GETSET ------------------------------
   Implementations: SYM_get (HPyFunc_GETTER) and/or SYM_set (HPyFunc_SETTER).
   Optional designated initializers: .doc, .closure. */

#define HPyDef_GET(SYM, NAME, ...) \
    HPyDef_GET_IMPL(SYM, NAME, SYM##_get, __VA_ARGS__)

#define HPyDef_SET(SYM, NAME, ...) \
    HPyDef_SET_IMPL(SYM, NAME, SYM##_set, __VA_ARGS__)

#define HPyDef_GETSET(SYM, NAME, ...) \
    HPyDef_GETSET_IMPL(SYM, NAME, SYM##_get, SYM##_set, __VA_ARGS__)

#define HPyDef_GET_IMPL(SYM, NAME, GETIMPL, ...)                              \
    HPyFunc_DECLARE(GETIMPL, HPyFunc_GETTER);                                 \
    HPyFunc_TRAMPOLINE(SYM##_get_trampoline, GETIMPL, HPyFunc_GETTER)         \
    HPyDef SYM = {                                                            \
        .kind = HPyDef_Kind_GetSet,                                           \
        .getset = {                                                           \
            .name = NAME,                                                     \
            .getter_impl = _HPy_FUNC_CAST(HPyCFunction, GETIMPL),             \
            .getter_cpy_trampoline = (cpy_getter)SYM##_get_trampoline,        \
            __VA_ARGS__                                                       \
        }                                                                     \
    };

#define HPyDef_SET_IMPL(SYM, NAME, SETIMPL, ...)                              \
    HPyFunc_DECLARE(SETIMPL, HPyFunc_SETTER);                                 \
    HPyFunc_TRAMPOLINE(SYM##_set_trampoline, SETIMPL, HPyFunc_SETTER)         \
    HPyDef SYM = {                                                            \
        .kind = HPyDef_Kind_GetSet,                                           \
        .getset = {                                                           \
            .name = NAME,                                                     \
            .setter_impl = _HPy_FUNC_CAST(HPyCFunction, SETIMPL),             \
            .setter_cpy_trampoline = (cpy_setter)SYM##_set_trampoline,        \
            __VA_ARGS__                                                       \
        }                                                                     \
    };

#define HPyDef_GETSET_IMPL(SYM, NAME, GETIMPL, SETIMPL, ...)                  \
    HPyFunc_DECLARE(GETIMPL, HPyFunc_GETTER);                                 \
    HPyFunc_TRAMPOLINE(SYM##_get_trampoline, GETIMPL, HPyFunc_GETTER)         \
    HPyFunc_DECLARE(SETIMPL, HPyFunc_SETTER);                                 \
    HPyFunc_TRAMPOLINE(SYM##_set_trampoline, SETIMPL, HPyFunc_SETTER)         \
    HPyDef SYM = {                                                            \
        .kind = HPyDef_Kind_GetSet,                                           \
        .getset = {                                                           \
            .name = NAME,                                                     \
            .getter_impl = _HPy_FUNC_CAST(HPyCFunction, GETIMPL),             \
            .setter_impl = _HPy_FUNC_CAST(HPyCFunction, SETIMPL),             \
            .getter_cpy_trampoline = (cpy_getter)SYM##_get_trampoline,        \
            .setter_cpy_trampoline = (cpy_setter)SYM##_set_trampoline,        \
            __VA_ARGS__                                                       \
        }                                                                     \
    };

/* ---- HPyCapsule_DESTRUCTOR(SYM) ------------------------------------------
   Defines `static HPyCapsule_Destructor SYM`; implementation:
   static void SYM_impl(const char *name, void *pointer, void *context). */

#define HPyCapsule_DESTRUCTOR(SYM)                                            \
    static void SYM##_impl(const char *name, void *pointer, void *context);   \
    HPyCapsule_DESTRUCTOR_TRAMPOLINE(SYM##_trampoline, SYM##_impl)            \
    static HPyCapsule_Destructor SYM = {                                      \
        .cpy_trampoline = SYM##_trampoline,                                   \
        .impl = SYM##_impl,                                                   \
    };

/* ---- HPyDef_CALL_FUNCTION(SYM) -------------------------------------------
   Defines `static HPyCallFunction SYM`; implementation: SYM_impl with the
   HPyFunc_KEYWORDS signature. */

#define HPyDef_CALL_FUNCTION(SYM)                                             \
    HPyFunc_DECLARE(SYM##_impl, HPyFunc_KEYWORDS);                            \
    HPyFunc_TRAMPOLINE(SYM##_trampoline, SYM##_impl, HPyFunc_KEYWORDS)        \
    static HPyCallFunction SYM = {                                            \
        .cpy_trampoline = SYM##_trampoline,                                   \
        .impl = SYM##_impl,                                                   \
    };

#endif /* HPY_HPYDEF_H */
