/*
 * cpython ABI: HPy types on top of CPython heap types.
 *
 * An HPyType_Spec becomes a PyType_Spec (PyType_FromSpecWithBases, or
 * PyType_FromMetaclass on 3.12+). What CPython has no place for -- the
 * builtin shape of the instances, the HPy_tp_destroy and HPy_tp_traverse
 * implementations, the default call function of HPy_tp_call -- goes into a
 * side table of our own, keyed by the type object's address. Nothing is
 * stored in the type object beyond what the PyType_Spec puts there: no
 * borrowed tp_flags bit, no trick with interpreter-owned buffers (HPy
 * 0.9.0 did both, and both broke when CPython changed).
 *
 * The instance layout: a pure HPy type (any shape but Legacy) describes
 * only its own C struct, which we place after the object header of the
 * builtin base (PyObject_HEAD for object, PyFloatObject for float, ...),
 * aligned for any C type. A legacy type's struct starts with PyObject_HEAD
 * itself, so its struct is the object.
 */
#include "ctx_internal.h"
#include <stdint.h>

#if PY_VERSION_HEX < 0x030C0000
#  include <structmember.h>       /* PyMemberDef before 3.12 */
#endif

#ifdef Py_READONLY
#  define MEMBER_READONLY Py_READONLY
#else
#  define MEMBER_READONLY READONLY
#endif
#ifdef Py_T_PYSSIZET
#  define MEMBER_T_PYSSIZET Py_T_PYSSIZET
#else
#  define MEMBER_T_PYSSIZET T_PYSSIZET
#endif

/* HPyMember_* values are CPython's member type codes; the table below is
   only a compile-time reminder of the few we name explicitly. */
_HPy_STATIC_ASSERT(HPyMember_OBJECT_EX == 16 && HPyMember_HPYSSIZET == 19,
                   "HPyMember_* must be CPython's member type codes");
_HPy_STATIC_ASSERT(HPy_TPFLAGS_HAVE_VECTORCALL == Py_TPFLAGS_HAVE_VECTORCALL &&
                   HPy_TPFLAGS_HAVE_GC == Py_TPFLAGS_HAVE_GC &&
                   HPy_TPFLAGS_BASETYPE == Py_TPFLAGS_BASETYPE,
                   "HPy_TPFLAGS_* must be CPython's flag bits");


/* ---- instance layout ------------------------------------------------------ */

/* Never instantiated: a member of every kind of C type, so that its
   alignment is the strictest a user struct can need (C99 has no
   max_align_t). */
typedef union {
    long double ld;
    double d;
    long long ll;
    void *p;
    void (*fp)(void);
} max_align_member;

#define HEAD_LAYOUT(NAME, HEAD_TYPE) \
    typedef struct { HEAD_TYPE head; max_align_member payload; } NAME;

HEAD_LAYOUT(layout_object, PyObject)
HEAD_LAYOUT(layout_type, PyHeapTypeObject)
HEAD_LAYOUT(layout_long, PyLongObject)
HEAD_LAYOUT(layout_float, PyFloatObject)
HEAD_LAYOUT(layout_unicode, PyUnicodeObject)
HEAD_LAYOUT(layout_tuple, PyTupleObject)
HEAD_LAYOUT(layout_list, PyListObject)

/* Bytes between the start of an instance and its HPy struct; -1 for a
   value that is not a shape. */
static Py_ssize_t
shape_head_size(HPyType_BuiltinShape shape)
{
    switch (shape) {
    case HPyType_BuiltinShape_Legacy:  return 0;
    case HPyType_BuiltinShape_Object:  return offsetof(layout_object, payload);
    case HPyType_BuiltinShape_Type:    return offsetof(layout_type, payload);
    case HPyType_BuiltinShape_Long:    return offsetof(layout_long, payload);
    case HPyType_BuiltinShape_Float:   return offsetof(layout_float, payload);
    case HPyType_BuiltinShape_Unicode: return offsetof(layout_unicode, payload);
    case HPyType_BuiltinShape_Tuple:   return offsetof(layout_tuple, payload);
    case HPyType_BuiltinShape_List:    return offsetof(layout_list, payload);
    }
    return -1;
}

static inline void *
payload_of(PyObject *obj, HPyType_BuiltinShape shape)
{
    return (char *)obj + shape_head_size(shape);
}


/* ---- the side table ------------------------------------------------------- */

typedef struct {
    PyTypeObject *type;          /* the key; the entry owns no reference */
    /* The method table we gave CPython for this type. CPython keeps the
       pointer in tp_methods, and we never free the table while the entry
       exists, so "type->tp_methods == methods" tells the type we registered
       from a different type that was later allocated at the same address
       (the entry is not removed when its type dies: see lookup_info). */
    PyMethodDef *methods;
    PyGetSetDef *getsets;        /* referenced by the type's descriptors */
    HPyType_BuiltinShape shape;
    HPyFunc_traverseproc traverse;
    HPyFunc_destroyfunc destroy;
    vectorcallfunc default_call; /* HPy_tp_call: stored into new instances */
} type_info;

/* Open addressing, linear probing; capacity a power of two. */
static type_info **table;
static size_t table_capacity;
static size_t table_filled;      /* live entries + tombstones */
#define TOMBSTONE ((type_info *)&table)
_HPyCPy_MUTEX(table_lock);

static size_t
table_hash(PyTypeObject *tp)
{
    /* type objects are at least 16-byte aligned: drop the low bits, then
       spread the rest (Fibonacci hashing) */
    uint64_t x = (uint64_t)(uintptr_t)tp >> 4;
    x *= UINT64_C(0x9E3779B97F4A7C15);
    return (size_t)(x >> 17);
}

/* Index of `tp`'s entry, or (size_t)-1. Call with the lock held. */
static size_t
table_find(PyTypeObject *tp)
{
    size_t mask, i;
    if (table_capacity == 0)
        return (size_t)-1;
    mask = table_capacity - 1;
    for (i = table_hash(tp) & mask; table[i] != NULL; i = (i + 1) & mask) {
        if (table[i] != TOMBSTONE && table[i]->type == tp)
            return i;
    }
    return (size_t)-1;
}

/* Rebuild the table with `capacity` slots (a power of two larger than the
   live entries); -1 if out of memory. Call with the lock held. */
static int
table_resize(size_t capacity)
{
    type_info **old = table;
    size_t old_capacity = table_capacity, i, j;
    type_info **fresh = (type_info **)PyMem_RawCalloc(capacity,
                                                      sizeof(type_info *));
    if (fresh == NULL)
        return -1;
    table_filled = 0;
    for (i = 0; i < old_capacity; i++) {
        if (old[i] == NULL || old[i] == TOMBSTONE)
            continue;
        for (j = table_hash(old[i]->type) & (capacity - 1); fresh[j] != NULL;
             j = (j + 1) & (capacity - 1))
            ;
        fresh[j] = old[i];
        table_filled++;
    }
    table = fresh;
    table_capacity = capacity;
    PyMem_RawFree(old);
    return 0;
}

/* The entry lookup_info found last: HPy_New and the deallocator look up
   the same type again and again, and a hit costs no hashing. free_info
   clears it. Free-threaded builds go through the locked table instead. */
#ifndef Py_GIL_DISABLED
static type_info *last_info;
#endif

static void
free_info(type_info *info)
{
    if (info == NULL)
        return;
#ifndef Py_GIL_DISABLED
    if (info == last_info)
        last_info = NULL;
#endif
    PyMem_Free(info->methods);
    PyMem_Free(info->getsets);
    PyMem_RawFree(info);
}

/* Register `info` for info->type. An entry left behind by a dead type at
   the same address is replaced. -1 if out of memory (nothing set). */
static int
table_insert(type_info *info)
{
    type_info *stale = NULL;
    size_t i, mask;
    int result = 0;
    _HPyCPy_LOCK(table_lock);
    i = table_find(info->type);
    if (i != (size_t)-1) {
        stale = table[i];
        table[i] = info;
        goto done;
    }
    if ((table_filled + 1) * 4 >= table_capacity * 3) {
        /* count only live entries to choose the new size, so that a table
           full of tombstones is cleaned instead of grown */
        size_t live = 0, capacity = 16;
        for (i = 0; i < table_capacity; i++)
            if (table[i] != NULL && table[i] != TOMBSTONE)
                live++;
        while ((live + 1) * 2 >= capacity)
            capacity *= 2;
        if (table_resize(capacity) < 0) {
            result = -1;
            goto done;
        }
    }
    mask = table_capacity - 1;
    for (i = table_hash(info->type) & mask;
         table[i] != NULL && table[i] != TOMBSTONE; i = (i + 1) & mask)
        ;
    if (table[i] == NULL)
        table_filled++;
    table[i] = info;
done:
    _HPyCPy_UNLOCK(table_lock);
    free_info(stale);
    return result;
}

/* The entry of `tp` itself (not of its bases), or NULL.
 *
 * Entries are not removed when their type dies: a type's memory is freed
 * only after its last instance is gone, but CPython gives no callback at
 * that moment (weakref callbacks can run while instances that still need
 * the entry are waiting in a garbage cycle). Instead a dead type's entry is
 * recognized, and dropped, when a different type turns up at its address:
 * its tp_methods is not our table. */
static type_info *lookup_info_in_table(PyTypeObject *tp);

/* The last hit inline (HPy_New looks up every instance's type), the table
   out of line. */
static inline type_info *
lookup_info(PyTypeObject *tp)
{
#ifndef Py_GIL_DISABLED
    type_info *last = last_info;
    if (last != NULL && last->type == tp && last->methods == tp->tp_methods)
        return last;
#endif
    return lookup_info_in_table(tp);
}

static type_info *
lookup_info_in_table(PyTypeObject *tp)
{
    type_info *info = NULL, *stale = NULL;
    size_t i;
    _HPyCPy_LOCK(table_lock);
    i = table_find(tp);
    if (i != (size_t)-1) {
        if (table[i]->methods == tp->tp_methods) {
            info = table[i];
#ifndef Py_GIL_DISABLED
            last_info = info;
#endif
        }
        else {
            stale = table[i];
            table[i] = TOMBSTONE;
        }
    }
    _HPyCPy_UNLOCK(table_lock);
    free_info(stale);
    return info;
}

/* The entry of the closest HPy type among `tp` and its bases: the one that
   decides the layout of tp's instances. */
static type_info *
nearest_info(PyTypeObject *tp)
{
    for (; tp != NULL; tp = tp->tp_base) {
        type_info *info = lookup_info(tp);
        if (info != NULL)
            return info;
    }
    return NULL;
}

static HPyType_BuiltinShape
shape_of_type(PyTypeObject *tp)
{
    type_info *info = nearest_info(tp);
    /* a type HPy did not create has the layout of a C extension type */
    return info != NULL ? info->shape : HPyType_BuiltinShape_Legacy;
}

/* Give a new instance the call function its type declared with
   HPy_tp_call (a subclass may inherit it). Python subclasses inherit the
   offset of the call function, and tp_call, but not the vectorcall flag
   (they are mutable): the offset is what counts. */
static void init_default_call_search(PyObject *obj, PyTypeObject *tp);

/* The test inline, the search out of line: most types have no call
   function, and HPy_New should not pay for the search's stack frame. */
static inline void
init_default_call(PyObject *obj)
{
    PyTypeObject *tp = Py_TYPE(obj);
    if (tp->tp_vectorcall_offset > 0)
        init_default_call_search(obj, tp);
}

static void
init_default_call_search(PyObject *obj, PyTypeObject *tp)
{
    PyTypeObject *t;
    for (t = tp; t != NULL; t = t->tp_base) {
        type_info *info = lookup_info(t);
        if (info != NULL && info->default_call != NULL) {
            vectorcallfunc f = info->default_call;
            memcpy((char *)obj + tp->tp_vectorcall_offset, &f, sizeof(f));
            return;
        }
    }
}


/* ---- deallocation ----------------------------------------------------------
 *
 * HPy types with HPy_tp_destroy or HPy_tp_traverse get hpy_dealloc. It
 * works like CPython's own deallocator for heap subclasses: it does the
 * work of the run of our types it is called for (clear every HPyField,
 * call every HPy_tp_destroy), then hands the object to the deallocator of
 * the first base that is not ours, which frees the memory.
 *
 * Which run? The deallocator can be entered for the object's own type,
 * from CPython's deallocator of a Python subclass, or back from a base's
 * deallocator when the hierarchy alternates between our types and types
 * of other extensions. The first two start at the first type with our
 * deallocator; for the third we remember where we handed over. */

static destructor subtype_dealloc;   /* CPython's, see find_subtype_dealloc */

static void hpy_dealloc(PyObject *self);

#define HANDOVER_DEPTH 16
static struct { PyObject *obj; PyTypeObject *base; } handovers[HANDOVER_DEPTH];
static int n_handovers;
_HPyCPy_MUTEX(handover_lock);

static PyTypeObject *
handover_find(PyObject *obj)
{
    PyTypeObject *base = NULL;
    int i;
    _HPyCPy_LOCK(handover_lock);
    for (i = n_handovers - 1; i >= 0; i--) {
        if (handovers[i].obj == obj) {
            base = handovers[i].base;
            break;
        }
    }
    _HPyCPy_UNLOCK(handover_lock);
    return base;
}

static int
handover_push(PyObject *obj, PyTypeObject *base)
{
    int ok = 0;
    _HPyCPy_LOCK(handover_lock);
    if (n_handovers < HANDOVER_DEPTH) {
        handovers[n_handovers].obj = obj;
        handovers[n_handovers].base = base;
        n_handovers++;
        ok = 1;
    }
    _HPyCPy_UNLOCK(handover_lock);
    return ok;
}

static void
handover_pop(PyObject *obj)
{
    int i;
    _HPyCPy_LOCK(handover_lock);
    for (i = n_handovers - 1; i >= 0; i--) {
        if (handovers[i].obj == obj) {
            handovers[i] = handovers[n_handovers - 1];
            n_handovers--;
            break;
        }
    }
    _HPyCPy_UNLOCK(handover_lock);
}

/* CPython gives heap types without a deallocator of their own a private
   function, subtype_dealloc, which always starts from the object's type:
   calling it as a base deallocator would come straight back to us. We
   learn its address from a throwaway type and skip such bases. */
static int
find_subtype_dealloc(void)
{
    static PyType_Slot no_slots[] = { {0, NULL} };
    static PyType_Spec probe = {
        "hpy.devel._dealloc_probe", 0, 0, Py_TPFLAGS_DEFAULT, no_slots
    };
    PyObject *tp;
    if (subtype_dealloc != NULL)
        return 0;
    tp = PyType_FromSpec(&probe);
    if (tp == NULL)
        return -1;
    subtype_dealloc = ((PyTypeObject *)tp)->tp_dealloc;
    /* break its self-references (mro, dict) so that it goes right away,
       and does not linger in object.__subclasses__() */
    PyType_Type.tp_clear(tp);
    Py_DECREF(tp);
    return 0;
}

/* The visitor that empties the HPyFields of a dying or cleared object.
   The field is emptied before the reference is released, since releasing
   it can run code that looks at the object. */
static int
clear_field(HPyField *field, void *arg)
{
    PyObject *old = (PyObject *)field->_i;
    (void)arg;
    field->_i = 0;
    Py_XDECREF(old);
    return 0;
}

static void
clear_fields(PyObject *self, PyTypeObject *from, PyTypeObject *until)
{
    PyTypeObject *t;
    for (t = from; t != NULL && t != until; t = t->tp_base) {
        type_info *info = lookup_info(t);
        if (info != NULL && info->traverse != NULL)
            info->traverse(payload_of(self, info->shape), clear_field, NULL);
    }
}

/* tp_clear of types with HPy_tp_traverse: break reference cycles through
   HPyFields (the garbage collector calls it; so does the tp_clear of
   Python subclasses). Ours replaces the tp_clear the type would have
   inherited, so that one is called too: a list's items can be part of the
   cycle as well. Only a static base's, though: the tp_clear of a heap type
   (a Python class's, or that of an HPy type of another extension) may
   start again from the object's type, which would lead back here. */
static int
hpy_clear(PyObject *self)
{
    PyTypeObject *base;
    clear_fields(self, Py_TYPE(self), NULL);
    for (base = Py_TYPE(self); base != NULL; base = base->tp_base) {
        if (!PyType_HasFeature(base, Py_TPFLAGS_HEAPTYPE)) {
            if (base->tp_clear != NULL)
                return base->tp_clear(self);
            break;
        }
    }
    return 0;
}

static void
hpy_dealloc(PyObject *self)
{
    PyTypeObject *type = Py_TYPE(self);
    PyTypeObject *resume = handover_find(self);
    PyTypeObject *level, *base, *t;

    for (level = resume != NULL ? resume : type;
         level != NULL && level->tp_dealloc != hpy_dealloc;
         level = level->tp_base)
        ;
    if (level == NULL)
        level = type;   /* not reachable: we are only installed on our types */

    /* Entered for the object's own type, nobody has finalized it yet. */
    if (resume == NULL && level == type && type->tp_finalize != NULL) {
        if (PyObject_CallFinalizerFromDealloc(self) < 0)
            return;     /* resurrected */
    }
    if (PyType_IS_GC(type))
        PyObject_GC_UnTrack(self);

    for (base = level;
         base != NULL && (base->tp_dealloc == hpy_dealloc ||
                          base->tp_dealloc == subtype_dealloc);
         base = base->tp_base)
        ;

    /* __weaklistoffset__ / __dictoffset__ of legacy members: nobody else
       clears what our run added (CPython's subclass deallocator only
       handles what the subclass itself added). */
    if (level->tp_weaklistoffset > 0 &&
        (base == NULL || base->tp_weaklistoffset == 0))
        PyObject_ClearWeakRefs(self);
    if (level->tp_dictoffset > 0 &&
        (base == NULL || base->tp_dictoffset == 0)) {
        PyObject **dictptr = (PyObject **)((char *)self + level->tp_dictoffset);
        Py_CLEAR(*dictptr);
    }

    clear_fields(self, level, base);
    for (t = level; t != NULL && t != base; t = t->tp_base) {
        type_info *info = lookup_info(t);
        if (info != NULL && info->destroy != NULL)
            info->destroy(payload_of(self, info->shape));
    }

    if (base == NULL) {
        type->tp_free(self);
        Py_DECREF(type);
        return;
    }
    /* base deallocators of GC types expect a tracked object */
    if (PyType_IS_GC(base))
        PyObject_GC_Track(self);
    if (PyType_HasFeature(base, Py_TPFLAGS_HEAPTYPE)) {
        /* A heap type's deallocator releases the type reference itself. */
        if (handover_push(self, base)) {
            base->tp_dealloc(self);
            handover_pop(self);
            return;
        }
        /* too deeply nested to come back safely: free it ourselves (the
           base's own resources leak, but nothing is freed twice) */
        if (PyType_IS_GC(base))
            PyObject_GC_UnTrack(self);
        type->tp_free(self);
        Py_DECREF(type);
        return;
    }
    /* A static base (object, float, list, ...) frees the memory but, not
       knowing about heap types, keeps the type reference. */
    base->tp_dealloc(self);
    Py_DECREF(type);
}


/* ---- tp_new for types with HPy_tp_call but no HPy_tp_new ------------------
   Instances made by the inherited tp_new must still get their default call
   function. */

static PyObject *
hpy_new_with_call(PyTypeObject *type, PyObject *args, PyObject *kw)
{
    PyTypeObject *base = type;
    PyObject *obj;

    while (base != NULL && base->tp_new == hpy_new_with_call)
        base = base->tp_base;
    if (base == NULL || base->tp_new == NULL) {
        PyErr_Format(PyExc_TypeError, "cannot create '%s' instances",
                     type->tp_name);
        return NULL;
    }
    if (base->tp_new == PyBaseObject_Type.tp_new) {
        /* object.__new__ refuses arguments when tp_new is overridden (it
           is: by us), even those meant for tp_init; so give it none, and
           refuse them here only if there is no tp_init to take them. */
        PyObject *empty;
        int has_args = PyTuple_GET_SIZE(args) > 0 ||
                       (kw != NULL && PyDict_Check(kw) && PyDict_GET_SIZE(kw) > 0);
        if (has_args && type->tp_init == PyBaseObject_Type.tp_init) {
            PyErr_Format(PyExc_TypeError, "%.200s() takes no arguments",
                         type->tp_name);
            return NULL;
        }
        empty = PyTuple_New(0);
        if (empty == NULL)
            return NULL;
        obj = base->tp_new(type, empty, NULL);
        Py_DECREF(empty);
    }
    else {
        obj = base->tp_new(type, args, kw);
    }
    if (obj != NULL)
        init_default_call(obj);
    return obj;
}


/* ---- HPyType_FromSpec ----------------------------------------------------- */

static int
is_slot(const HPyDef *d, HPySlot_Slot slot)
{
    return d->kind == HPyDef_Kind_Slot && d->slot.slot == slot;
}

static int
spec_has_slot(HPyType_Spec *spec, HPySlot_Slot slot)
{
    size_t i;
    for (i = 0; spec->defines != NULL && spec->defines[i] != NULL; i++)
        if (is_slot(spec->defines[i], slot))
            return 1;
    return 0;
}

static int
legacy_has_slot(PyType_Slot *legacy, int slot)
{
    size_t i;
    for (i = 0; legacy != NULL && legacy[i].slot != 0; i++)
        if (legacy[i].slot == slot)
            return 1;
    return 0;
}

static void *
legacy_slot_value(PyType_Slot *legacy, int slot)
{
    size_t i;
    for (i = 0; legacy != NULL && legacy[i].slot != 0; i++)
        if (legacy[i].slot == slot)
            return legacy[i].pfunc;
    return NULL;
}

/* What the HPyType_SpecParam array says. */
typedef struct {
    PyObject *bases;           /* new tuple, or NULL: none given */
    PyTypeObject *metaclass;   /* borrowed, or NULL: none given */
} spec_params;

static int
read_params(HPyType_SpecParam *params, const char *name, spec_params *out)
{
    HPyType_SpecParam *p;
    Py_ssize_t n_base = 0, n_tuple = 0, i = 0;
    PyObject *tuple_param = NULL;

    out->bases = NULL;
    out->metaclass = NULL;
    for (p = params; p != NULL && p->kind != 0; p++) {
        PyObject *obj = _h2py(p->object);
        switch (p->kind) {
        case HPyType_SpecParam_Base:
            n_base++;
            break;
        case HPyType_SpecParam_BasesTuple:
            n_tuple++;
            tuple_param = obj;
            break;
        case HPyType_SpecParam_Metaclass:
            if (out->metaclass != NULL) {
                PyErr_SetString(PyExc_ValueError,
                                "metaclass was specified multiple times");
                return -1;
            }
            if (obj == NULL || !PyType_Check(obj)) {
                PyErr_Format(PyExc_TypeError,
                             "Metaclass '%R' is not a subclass of 'type'.",
                             obj != NULL ? obj : Py_None);
                return -1;
            }
            out->metaclass = (PyTypeObject *)obj;
            break;
        default:
            PyErr_Format(PyExc_TypeError,
                         "unknown HPyType_SpecParam specification for '%s'",
                         name);
            return -1;
        }
        if (obj == NULL) {
            PyErr_Format(PyExc_TypeError,
                         "HPyType_SpecParam of '%s' holds HPy_NULL", name);
            return -1;
        }
    }
    if (n_tuple > 1) {
        PyErr_SetString(PyExc_TypeError,
            "multiple specifications of HPyType_SpecParam_BasesTuple");
        return -1;
    }
    if (n_tuple > 0 && n_base > 0) {
        PyErr_SetString(PyExc_TypeError,
            "cannot specify both HPyType_SpecParam_Base and "
            "HPyType_SpecParam_BasesTuple");
        return -1;
    }
    if (tuple_param != NULL) {
        if (!PyTuple_Check(tuple_param)) {
            PyErr_Format(PyExc_TypeError,
                "HPyType_SpecParam_BasesTuple of '%s' must be a tuple, not %s",
                name, Py_TYPE(tuple_param)->tp_name);
            return -1;
        }
        Py_INCREF(tuple_param);
        out->bases = tuple_param;
    }
    else if (n_base > 0) {
        out->bases = PyTuple_New(n_base);
        if (out->bases == NULL)
            return -1;
        for (p = params; p->kind != 0; p++) {
            if (p->kind == HPyType_SpecParam_Base) {
                PyObject *base = _h2py(p->object);
                Py_INCREF(base);
                PyTuple_SET_ITEM(out->bases, i, base);
                i++;
            }
        }
    }
    return 0;
}

/* The largest instance size among the bases (object's if none): where
   fields appended to an inherited struct may start. */
static Py_ssize_t
bases_basicsize(PyObject *bases, PyType_Slot *legacy)
{
    Py_ssize_t size = PyBaseObject_Type.tp_basicsize, i;
    if (bases == NULL) {
        PyObject *b = (PyObject *)legacy_slot_value(legacy, Py_tp_base);
        if (b != NULL && PyType_Check(b))
            size = ((PyTypeObject *)b)->tp_basicsize;
        return size;
    }
    for (i = 0; i < PyTuple_GET_SIZE(bases); i++) {
        PyObject *b = PyTuple_GET_ITEM(bases, i);
        if (PyType_Check(b) && ((PyTypeObject *)b)->tp_basicsize > size)
            size = ((PyTypeObject *)b)->tp_basicsize;
    }
    return size;
}

static Py_ssize_t
align_up(Py_ssize_t n, Py_ssize_t alignment)
{
    return (n + alignment - 1) / alignment * alignment;
}

/* Everything we allocate for one type. */
typedef struct {
    PyType_Slot *slots;
    PyMethodDef *methods;
    PyMemberDef *members;
    PyGetSetDef *getsets;
    type_info *info;
} build_state;

static void
build_state_free(build_state *b)
{
    PyMem_Free(b->slots);
    PyMem_Free(b->methods);
    PyMem_Free(b->members);
    PyMem_Free(b->getsets);
    PyMem_RawFree(b->info);
}

#define CALL_LEGACY_INHERITED \
    "Cannot use HPy call protocol with legacy types that inherit the " \
    "struct. Either set the basicsize to a non-zero value or use legacy " \
    "slot 'Py_tp_call'."

static int
is_vectorcalloffset(const char *name)
{
    return name != NULL && strcmp(name, "__vectorcalloffset__") == 0;
}

/* Check the HPy spec and translate it into `spec` and the tables of `b`;
   -1 with an exception set on error (what `b` holds is then freed by the
   caller). With HPy_tp_call, each instance gets a hidden field after the
   user's struct for its call function (see init_default_call). */
static int
build_type_parts(HPyType_Spec *hpyspec, PyObject *bases, build_state *b,
                 PyType_Spec *spec)
{
    HPyDef **defines = hpyspec->defines;
    PyType_Slot *legacy = (PyType_Slot *)hpyspec->legacy_slots;
    PyMethodDef *legacy_methods;
    PyMemberDef *legacy_members;
    PyGetSetDef *legacy_getsets;
    HPyType_BuiltinShape shape = hpyspec->builtin_shape;
    Py_ssize_t head = shape_head_size(shape);
    Py_ssize_t basicsize, call_offset = 0, member_base;
    size_t n_defines = 0, n_legacy = 0, n_members = 0, n_getsets = 0;
    size_t i, k;
    int has_new, has_traverse, has_destroy, has_call, explicit_call_offset = 0;
    const char *name = hpyspec->name;

    if (head < 0) {
        PyErr_Format(PyExc_ValueError, "invalid shape: %d", (int)shape);
        return -1;
    }
    if (legacy != NULL && shape != HPyType_BuiltinShape_Legacy) {
        PyErr_SetString(PyExc_TypeError,
            "cannot specify .legacy_slots without setting "
            ".builtin_shape=HPyType_BuiltinShape_Legacy");
        return -1;
    }
    legacy_methods = legacy_slot_value(legacy, Py_tp_methods);
    legacy_members = legacy_slot_value(legacy, Py_tp_members);
    legacy_getsets = legacy_slot_value(legacy, Py_tp_getset);
    has_traverse = spec_has_slot(hpyspec, HPy_tp_traverse);
    has_destroy = spec_has_slot(hpyspec, HPy_tp_destroy);
    has_call = spec_has_slot(hpyspec, HPy_tp_call);
    has_new = spec_has_slot(hpyspec, HPy_tp_new) ||
              legacy_has_slot(legacy, Py_tp_new);
    if ((hpyspec->flags & HPy_TPFLAGS_HAVE_GC) && !has_traverse) {
        PyErr_SetString(PyExc_ValueError,
            "You must provide an HPy_tp_traverse slot if you specify "
            "HPy_TPFLAGS_HAVE_GC");
        return -1;
    }
    if ((has_traverse || has_destroy) && legacy_has_slot(legacy, Py_tp_dealloc)) {
        PyErr_SetString(PyExc_TypeError,
            "legacy tp_dealloc is incompatible with HPy_tp_traverse or "
            "HPy_tp_destroy.");
        return -1;
    }
    if (has_call && hpyspec->itemsize != 0) {
        /* the call function is appended to the fixed part, where the items
           of a variable-size object would go */
        PyErr_SetString(PyExc_TypeError,
                        "Cannot use HPy call protocol with var objects");
        return -1;
    }
    if (has_call && hpyspec->basicsize == 0 &&
            hpyspec->builtin_shape == HPyType_BuiltinShape_Legacy) {
        /* Refused as in HPy 0.9.0, so that a spec accepted here loads under
           any HPy runtime: there the struct of a legacy type is not known
           when it is inherited, hence nor where the call function goes. */
        PyErr_SetString(PyExc_TypeError, CALL_LEGACY_INHERITED);
        return -1;
    }

    /* count and check the defines */
    for (i = 0; defines != NULL && defines[i] != NULL; i++) {
        HPyDef *d = defines[i];
        n_defines++;
        switch (d->kind) {
        case HPyDef_Kind_Slot:
            if (d->slot.slot == HPy_mod_create || d->slot.slot == HPy_mod_exec) {
                PyErr_Format(PyExc_TypeError,
                    "type '%s': HPyType_Spec.defines has a module slot "
                    "(slot %d)", name, (int)d->slot.slot);
                return -1;
            }
            if (d->slot.slot != HPy_tp_destroy && d->slot.cpy_trampoline == NULL) {
                PyErr_Format(PyExc_SystemError,
                    "type '%s': slot %d has no trampoline", name,
                    (int)d->slot.slot);
                return -1;
            }
            break;
        case HPyDef_Kind_Meth:
            if (_HPyCPy_CheckMeth(&d->meth) < 0)
                return -1;
            break;
        case HPyDef_Kind_Member:
            if (d->member.name == NULL) {
                PyErr_Format(PyExc_SystemError,
                             "type '%s': an HPyDef_MEMBER has no name", name);
                return -1;
            }
            if (is_vectorcalloffset(d->member.name))
                explicit_call_offset = 1;
            n_members++;
            break;
        case HPyDef_Kind_GetSet:
            if (d->getset.name == NULL) {
                PyErr_Format(PyExc_SystemError,
                             "type '%s': an HPyDef_GETSET has no name", name);
                return -1;
            }
            n_getsets++;
            break;
        default:
            PyErr_Format(PyExc_SystemError,
                         "type '%s': HPyDef of unknown kind %d", name,
                         (int)d->kind);
            return -1;
        }
    }
    for (i = 0; legacy != NULL && legacy[i].slot != 0; i++)
        n_legacy++;
    for (i = 0; legacy_members != NULL && legacy_members[i].name != NULL; i++) {
        if (is_vectorcalloffset(legacy_members[i].name))
            explicit_call_offset = 1;
        n_members++;
    }
    for (i = 0; legacy_getsets != NULL && legacy_getsets[i].name != NULL; i++)
        n_getsets++;
    if (has_call && explicit_call_offset) {
        PyErr_SetString(PyExc_TypeError,
            "Cannot have HPy_tp_call and explicit member "
            "'__vectorcalloffset__'. Specify just one of them.");
        return -1;
    }
    if (hpyspec->basicsize == 0 && n_members > 0) {
        /* member offsets are relative to a struct we know nothing of */
        PyErr_SetString(PyExc_TypeError,
                        "Type claims to have basicsize==0 but defines members");
        return -1;
    }

    /* the instance size: the user's struct after the shape's header, then
       the call function if any */
    basicsize = hpyspec->basicsize != 0 ? head + hpyspec->basicsize : 0;
    if (has_call) {
        Py_ssize_t end = basicsize;
        if (end == 0) {
            end = bases_basicsize(bases, legacy);
            if (end < head)
                end = head;
        }
        call_offset = align_up(end, (Py_ssize_t)sizeof(vectorcallfunc));
        basicsize = call_offset + (Py_ssize_t)sizeof(vectorcallfunc);
    }
    /* members of a pure type are offsets in its struct */
    member_base = head;

    b->info = (type_info *)PyMem_RawCalloc(1, sizeof(type_info));
    b->slots = (PyType_Slot *)PyMem_Calloc(n_defines + n_legacy + 10,
                                           sizeof(PyType_Slot));
    b->members = (PyMemberDef *)PyMem_Calloc(n_members + 2, sizeof(PyMemberDef));
    b->getsets = (PyGetSetDef *)PyMem_Calloc(n_getsets + 1, sizeof(PyGetSetDef));
    if (b->info == NULL || b->slots == NULL || b->members == NULL ||
        b->getsets == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    b->methods = _HPyCPy_BuildMethodDefs(defines, legacy_methods);
    if (b->methods == NULL)
        return -1;
    b->info->shape = shape;
    b->info->methods = b->methods;
    b->info->getsets = b->getsets;

    /* slots */
    k = 0;
    for (i = 0; defines != NULL && defines[i] != NULL; i++) {
        HPyDef *d = defines[i];
        if (d->kind != HPyDef_Kind_Slot)
            continue;
        switch (d->slot.slot) {
        case HPy_tp_destroy:
            /* called by hpy_dealloc; CPython has no such slot */
            b->info->destroy = (HPyFunc_destroyfunc)(void (*)(void))d->slot.impl;
            continue;
        case HPy_tp_call:
            /* implemented with vectorcall: the trampoline has that shape */
            b->info->default_call =
                (vectorcallfunc)(void (*)(void))d->slot.cpy_trampoline;
            continue;
        case HPy_tp_traverse:
            b->info->traverse = (HPyFunc_traverseproc)(void (*)(void))d->slot.impl;
            break;
        default:
            break;
        }
        /* every other HPy slot number is CPython's */
        b->slots[k].slot = (int)d->slot.slot;
        b->slots[k].pfunc = (void *)d->slot.cpy_trampoline;
        k++;
    }
    if (hpyspec->doc != NULL) {
        b->slots[k].slot = Py_tp_doc;
        b->slots[k].pfunc = (void *)hpyspec->doc;
        k++;
    }
    for (i = 0; legacy != NULL && legacy[i].slot != 0; i++) {
        int s = legacy[i].slot;
        if (s == Py_tp_methods || s == Py_tp_members || s == Py_tp_getset)
            continue;   /* merged with ours below */
        if (s == Py_tp_doc && hpyspec->doc != NULL)
            continue;
        b->slots[k++] = legacy[i];
    }
    b->slots[k].slot = Py_tp_methods;
    b->slots[k].pfunc = b->methods;
    k++;
    if (has_traverse || has_destroy) {
        b->slots[k].slot = Py_tp_dealloc;
        b->slots[k].pfunc = (void *)hpy_dealloc;
        k++;
    }
    if (has_traverse && !legacy_has_slot(legacy, Py_tp_clear)) {
        b->slots[k].slot = Py_tp_clear;
        b->slots[k].pfunc = (void *)hpy_clear;
        k++;
    }
    /* Calls through a per-instance function: from HPy_tp_call, or the
       older way, a __vectorcalloffset__ member (with HPy_SetCallFunction).
       CPython wants tp_call besides the vectorcall flag (PyObject_Call
       and friends go through it; debug builds assert it). */
    if ((has_call || explicit_call_offset) && !legacy_has_slot(legacy, Py_tp_call)) {
        b->slots[k].slot = Py_tp_call;
        b->slots[k].pfunc = (void *)PyVectorcall_Call;
        k++;
    }
    if (has_call) {
        if (!has_new) {
            b->slots[k].slot = Py_tp_new;
            b->slots[k].pfunc = (void *)hpy_new_with_call;
            k++;
        }
    }

    /* members: ours, the legacy ones, the hidden call function */
    k = 0;
    for (i = 0; defines != NULL && defines[i] != NULL; i++) {
        const HPyMember *m = &defines[i]->member;
        if (defines[i]->kind != HPyDef_Kind_Member)
            continue;
        /* an HPyField holds the PyObject* itself in this ABI, so the
           object members work on it as on any PyObject* member */
        b->members[k].name = m->name;
        b->members[k].type = (int)m->type;
        b->members[k].offset = m->offset + member_base;
        b->members[k].flags = m->readonly ? MEMBER_READONLY : 0;
        b->members[k].doc = m->doc;
        k++;
    }
    for (i = 0; legacy_members != NULL && legacy_members[i].name != NULL; i++)
        b->members[k++] = legacy_members[i];
    if (has_call) {
        b->members[k].name = "__vectorcalloffset__";
        b->members[k].type = MEMBER_T_PYSSIZET;
        b->members[k].offset = call_offset;
        b->members[k].flags = MEMBER_READONLY;
        k++;
    }
    /* the slot entry goes last so that its count is known */
    {
        size_t s = 0;
        while (b->slots[s].slot != 0)
            s++;
        b->slots[s].slot = Py_tp_members;
        b->slots[s].pfunc = b->members;
        s++;
        b->slots[s].slot = Py_tp_getset;
        b->slots[s].pfunc = b->getsets;
    }

    k = 0;
    for (i = 0; defines != NULL && defines[i] != NULL; i++) {
        const HPyGetSet *g = &defines[i]->getset;
        if (defines[i]->kind != HPyDef_Kind_GetSet)
            continue;
        b->getsets[k].name = g->name;
        b->getsets[k].get = (getter)(void (*)(void))g->getter_cpy_trampoline;
        b->getsets[k].set = (setter)(void (*)(void))g->setter_cpy_trampoline;
        b->getsets[k].doc = g->doc;
        b->getsets[k].closure = g->closure;
        k++;
    }
    for (i = 0; legacy_getsets != NULL && legacy_getsets[i].name != NULL; i++)
        b->getsets[k++] = legacy_getsets[i];

    spec->name = name;
    spec->basicsize = (int)basicsize;
    spec->itemsize = hpyspec->itemsize;
    spec->flags = (unsigned int)hpyspec->flags;
    if (has_call || explicit_call_offset)
        spec->flags |= Py_TPFLAGS_HAVE_VECTORCALL;
    spec->slots = b->slots;
    return 0;
}

#if PY_VERSION_HEX >= 0x030B0000 && PY_VERSION_HEX < 0x030C0000
/* Python 3.11 cannot create a type from a spec with a metaclass. We let it
   build an ordinary type, then move that into an instance of the
   metaclass: copy the type object's fields, take our own references and
   buffers for everything the original owns, reset what PyType_Ready
   computes, and let PyType_Ready fill it in again. The original is then
   dismantled. 3.12 has PyType_FromMetaclass. */
static PyObject *
type_from_spec_with_metaclass(PyType_Spec *spec, PyObject *bases,
                              PyTypeObject *meta)
{
    PyObject *tmp, *result, *module_name;
    PyHeapTypeObject *src, *dst;
    PyTypeObject *tp;
    Py_ssize_t n_members;
    size_t len;

    /* as PyType_FromMetaclass does: the most derived of the metaclass
       given and those of the bases, or a metaclass conflict */
    if (bases != NULL) {
        meta = _PyType_CalculateMetaclass(meta, bases);
        if (meta == NULL)
            return NULL;
        if (meta == &PyType_Type)
            return PyType_FromSpecWithBases(spec, bases);
    }
    if (meta->tp_new != PyType_Type.tp_new) {
        PyErr_SetString(PyExc_TypeError,
                        "Metaclasses with custom tp_new are not supported.");
        return NULL;
    }
    tmp = PyType_FromSpecWithBases(spec, bases);
    if (tmp == NULL)
        return NULL;
    src = (PyHeapTypeObject *)tmp;
    n_members = Py_SIZE(tmp);

    result = meta->tp_alloc(meta, n_members);
    if (result == NULL)
        goto fail;
    /* invisible to the collector until consistent */
    PyObject_GC_UnTrack(result);
    dst = (PyHeapTypeObject *)result;
    tp = &dst->ht_type;

    /* everything but the object header (refcount, type, member count) */
    memcpy((char *)dst + sizeof(PyVarObject), (char *)src + sizeof(PyVarObject),
           sizeof(PyHeapTypeObject) - sizeof(PyVarObject));
    tp->tp_as_async = &dst->as_async;
    tp->tp_as_number = &dst->as_number;
    tp->tp_as_sequence = &dst->as_sequence;
    tp->tp_as_mapping = &dst->as_mapping;
    tp->tp_as_buffer = &dst->as_buffer;
    /* the members live after the metaclass's fixed part */
    tp->tp_members = (PyMemberDef *)((char *)dst + meta->tp_basicsize);
    memcpy(tp->tp_members,
           (char *)src + Py_TYPE(src)->tp_basicsize,
           (size_t)n_members * sizeof(PyMemberDef));

    /* references and buffers of our own */
    Py_XINCREF(dst->ht_name);
    Py_XINCREF(dst->ht_qualname);
    Py_XINCREF(dst->ht_slots);
    Py_XINCREF(dst->ht_module);
    Py_XINCREF(tp->tp_base);
    Py_XINCREF(tp->tp_bases);
    dst->ht_cached_keys = NULL;
    dst->_spec_cache.getitem = NULL;
    dst->_ht_tpname = NULL;
    tp->tp_doc = NULL;
    /* computed again by PyType_Ready */
    tp->tp_dict = NULL;
    tp->tp_mro = NULL;
    tp->tp_cache = NULL;
    tp->tp_subclasses = NULL;
    tp->tp_weaklist = NULL;
    tp->tp_version_tag = 0;
    tp->tp_flags &= ~(Py_TPFLAGS_READY | Py_TPFLAGS_READYING |
                      Py_TPFLAGS_VALID_VERSION_TAG);

    len = strlen(src->_ht_tpname) + 1;
    dst->_ht_tpname = (char *)PyMem_Malloc(len);
    if (dst->_ht_tpname == NULL) {
        PyErr_NoMemory();
        goto fail_result;
    }
    memcpy(dst->_ht_tpname, src->_ht_tpname, len);
    tp->tp_name = dst->_ht_tpname;
    if (src->ht_type.tp_doc != NULL) {
        char *doc;
        len = strlen(src->ht_type.tp_doc) + 1;
        doc = (char *)PyObject_Malloc(len);
        if (doc == NULL) {
            PyErr_NoMemory();
            goto fail_result;
        }
        memcpy(doc, src->ht_type.tp_doc, len);
        tp->tp_doc = doc;
    }

    PyObject_GC_Track(result);
    if (PyType_Ready(tp) < 0)
        goto fail_tracked;
    module_name = PyDict_GetItemString(src->ht_type.tp_dict, "__module__");
    if (module_name != NULL &&
        PyDict_SetItemString(tp->tp_dict, "__module__", module_name) < 0)
        goto fail_tracked;

    /* the original refers to itself through its dict and its mro: break
       those cycles so that it goes away now, with its entries in the
       bases' __subclasses__ */
    PyType_Type.tp_clear(tmp);
    Py_DECREF(tmp);
    return result;

fail_result:
    PyObject_GC_Track(result);
fail_tracked:
    Py_DECREF(result);
fail:
    PyType_Type.tp_clear(tmp);
    Py_DECREF(tmp);
    return NULL;
}
#endif

static PyObject *
create_type(PyType_Spec *spec, spec_params *params)
{
#if PY_VERSION_HEX >= 0x030C0000
    /* a NULL metaclass means: derived from the bases */
    return PyType_FromMetaclass(params->metaclass, NULL, spec, params->bases);
#elif PY_VERSION_HEX >= 0x030B0000
    if (params->metaclass != NULL && params->metaclass != &PyType_Type)
        return type_from_spec_with_metaclass(spec, params->bases,
                                             params->metaclass);
    return PyType_FromSpecWithBases(spec, params->bases);
#else
    if (params->metaclass != NULL && params->metaclass != &PyType_Type) {
        PyErr_SetString(PyExc_NotImplementedError,
            "HPyType_SpecParam_Metaclass needs Python 3.11 or later");
        return NULL;
    }
    return PyType_FromSpecWithBases(spec, params->bases);
#endif
}

_HPy_HIDDEN HPy
ctx_Type_FromSpec(HPyContext *ctx, HPyType_Spec *hpyspec,
                  HPyType_SpecParam *params)
{
    spec_params sp = { NULL, NULL };
    build_state b = { NULL, NULL, NULL, NULL, NULL };
    PyType_Spec spec;
    PyObject *result;
    PyTypeObject *tp;
    (void)ctx;

    if (hpyspec == NULL || hpyspec->name == NULL) {
        PyErr_SetString(PyExc_SystemError, "HPyType_Spec without a name");
        return HPy_NULL;
    }
    if (read_params(params, hpyspec->name, &sp) < 0)
        return HPy_NULL;
    if (find_subtype_dealloc() < 0)
        goto fail;
    memset(&spec, 0, sizeof(spec));
    if (build_type_parts(hpyspec, sp.bases, &b, &spec) < 0)
        goto fail;

    result = create_type(&spec, &sp);
    Py_XDECREF(sp.bases);
    sp.bases = NULL;
    /* CPython copied the slot array and the members; the rest it keeps */
    PyMem_Free(b.slots);
    b.slots = NULL;
    PyMem_Free(b.members);
    b.members = NULL;
    if (result == NULL)
        goto fail;
    tp = (PyTypeObject *)result;

    /* a legacy struct starts with PyObject_HEAD: it cannot extend the
       struct of a pure type, which does not */
    if (hpyspec->builtin_shape == HPyType_BuiltinShape_Legacy &&
        tp->tp_base != NULL &&
        shape_of_type(tp->tp_base) != HPyType_BuiltinShape_Legacy) {
        PyErr_SetString(PyExc_TypeError,
            "A legacy type should not inherit its memory layout from a "
            "pure type");
        /* the type may live on for a while, its descriptors pointing into
           our tables: those are left to it */
        PyMem_RawFree(b.info);
        Py_DECREF(result);
        return HPy_NULL;
    }

    b.info->type = tp;
    if (table_insert(b.info) < 0) {
        PyErr_NoMemory();
        PyMem_RawFree(b.info);
        Py_DECREF(result);
        return HPy_NULL;
    }
    return _py2h(result);

fail:
    Py_XDECREF(sp.bases);
    build_state_free(&b);
    return HPy_NULL;
}


/* ---- instances ------------------------------------------------------------ */

_HPy_HIDDEN HPy
ctx_New(HPyContext *ctx, HPy h_type, void **data)
{
    PyObject *type_obj = _h2py(h_type);
    PyTypeObject *tp;
    PyObject *obj;
    type_info *info;
    HPyType_BuiltinShape shape;
    Py_ssize_t zero_from;   /* the struct's bytes from here on are zeroed */
    int track = 0;          /* GC-track once complete */
    (void)ctx;

    if (type_obj == NULL || !PyType_Check(type_obj)) {
        PyErr_SetString(PyExc_TypeError, "HPy_New arg 1 must be a type");
        return HPy_NULL;
    }
    tp = (PyTypeObject *)type_obj;
    info = lookup_info(tp);
    if (info == NULL)     /* a subclass, or a type HPy did not make */
        info = nearest_info(tp->tp_base);
    shape = info != NULL ? info->shape : HPyType_BuiltinShape_Legacy;
    if (tp->tp_alloc == PyType_GenericAlloc && tp->tp_itemsize == 0) {
        /* What PyType_GenericAlloc(tp, 0) does, without its generality
           (items, its own checks): a third of the cost of HPy_New. GC
           tracking waits until the object is complete. */
        track = PyType_IS_GC(tp);
        obj = track ? _PyObject_GC_New(tp) : _PyObject_New(tp);
        zero_from = (Py_ssize_t)sizeof(PyObject);
    }
    else {
        obj = tp->tp_alloc(tp, 0);
        /* HPy_New promises a zeroed struct; PyType_GenericAlloc zeroes, a
           legacy allocator might not */
        zero_from = tp->tp_alloc == PyType_GenericAlloc ? tp->tp_basicsize
                    : shape == HPyType_BuiltinShape_Legacy ? (Py_ssize_t)sizeof(PyObject)
                    : shape_head_size(shape);
    }
    if (obj == NULL)
        return HPy_NULL;
    if (tp->tp_basicsize > zero_from)
        memset((char *)obj + zero_from, 0, (size_t)(tp->tp_basicsize - zero_from));
    init_default_call(obj);
    *data = payload_of(obj, shape);
    if (track)
        PyObject_GC_Track(obj);
    return _py2h(obj);
}

_HPy_HIDDEN HPy
ctx_Type_GenericNew(HPyContext *ctx, HPy h_type, const HPy *args,
                    HPy_ssize_t nargs, HPy kw)
{
    PyObject *type_obj = _h2py(h_type);
    PyTypeObject *tp;
    PyObject *obj;
    (void)ctx;
    (void)args;
    (void)nargs;
    (void)kw;

    if (type_obj == NULL || !PyType_Check(type_obj)) {
        PyErr_SetString(PyExc_TypeError,
                        "HPyType_GenericNew arg 1 must be a type");
        return HPy_NULL;
    }
    tp = (PyTypeObject *)type_obj;
    obj = tp->tp_alloc(tp, 0);
    if (obj != NULL)
        init_default_call(obj);
    return _py2h(obj);
}

/* The shape-specific accessors are what HPyType_HELPERS compiles to: with
   the shape known statically, finding the struct is one addition. */
#define AS_STRUCT(NAME, SHAPE)                          \
    _HPy_HIDDEN void *                                  \
    NAME(HPyContext *ctx, HPy h)                        \
    {                                                   \
        (void)ctx;                                      \
        return payload_of(_h2py(h), SHAPE);             \
    }

AS_STRUCT(ctx_AsStruct_Object, HPyType_BuiltinShape_Object)
AS_STRUCT(ctx_AsStruct_Type, HPyType_BuiltinShape_Type)
AS_STRUCT(ctx_AsStruct_Long, HPyType_BuiltinShape_Long)
AS_STRUCT(ctx_AsStruct_Float, HPyType_BuiltinShape_Float)
AS_STRUCT(ctx_AsStruct_Unicode, HPyType_BuiltinShape_Unicode)
AS_STRUCT(ctx_AsStruct_Tuple, HPyType_BuiltinShape_Tuple)
AS_STRUCT(ctx_AsStruct_List, HPyType_BuiltinShape_List)

/* a legacy struct starts with the PyObject header: the object is the struct */
_HPy_HIDDEN void *
ctx_AsStruct_Legacy(HPyContext *ctx, HPy h)
{
    (void)ctx;
    return _h2py(h);
}

_HPy_HIDDEN HPyType_BuiltinShape
ctx_Type_GetBuiltinShape(HPyContext *ctx, HPy h_type)
{
    PyObject *type_obj = _h2py(h_type);
    (void)ctx;
    if (type_obj == NULL || !PyType_Check(type_obj)) {
        PyErr_SetString(PyExc_TypeError, "arg must be a type");
        return (HPyType_BuiltinShape)-2;
    }
    return shape_of_type((PyTypeObject *)type_obj);
}

_HPy_HIDDEN int
ctx_SetCallFunction(HPyContext *ctx, HPy h, HPyCallFunction *func)
{
    PyObject *obj = _h2py(h);
    PyTypeObject *tp;
    vectorcallfunc f;
    (void)ctx;

    if (obj == NULL || func == NULL || func->cpy_trampoline == NULL) {
        PyErr_SetString(PyExc_SystemError,
                        "HPy_SetCallFunction: invalid arguments");
        return -1;
    }
    tp = Py_TYPE(obj);
    /* Only instances of HPy types (or of their subclasses) with a call
       function slot: other objects with a vectorcall offset (functions,
       ...) use theirs for their own purposes. */
    if (tp->tp_vectorcall_offset <= 0 || nearest_info(tp) == NULL) {
        PyErr_Format(PyExc_TypeError,
                     "type '%.50s' does not implement the HPy call protocol",
                     tp->tp_name);
        return -1;
    }
    f = (vectorcallfunc)(void (*)(void))func->cpy_trampoline;
    memcpy((char *)obj + tp->tp_vectorcall_offset, &f, sizeof(f));
    return 0;
}


/* ---- tp_traverse -----------------------------------------------------------
   The user's traverse function visits HPyField addresses; CPython's
   visitor wants the objects. */

typedef struct {
    visitproc visit;
    void *arg;
} visit_adapter;

static int
visit_field(HPyField *field, void *arg)
{
    visit_adapter *a = (visit_adapter *)arg;
    PyObject *obj = (PyObject *)field->_i;
    /* CPython's visitors do not expect NULL (Py_VISIT filters it out) */
    return obj != NULL ? a->visit(obj, a->arg) : 0;
}

_HPy_HIDDEN int
_HPyCPy_CallTraverse(HPyFunc_traverseproc impl, PyObject *self,
                     visitproc visit, void *arg)
{
    visit_adapter a;
    PyTypeObject *base;
    int r;
    /* instances of heap types own a reference to their type */
    Py_VISIT(Py_TYPE(self));
    a.visit = visit;
    a.arg = arg;
    r = impl(payload_of(self, shape_of_type(Py_TYPE(self))), visit_field, &a);
    if (r != 0)
        return r;
    /* The trampoline replaced the tp_traverse the type would have
       inherited from its builtin base (a list's visits the items): call
       it too. As for tp_clear, only a static base's, which never comes
       back here. */
    for (base = Py_TYPE(self); base != NULL; base = base->tp_base) {
        if (!PyType_HasFeature(base, Py_TPFLAGS_HEAPTYPE))
            return base->tp_traverse != NULL ? base->tp_traverse(self, visit, arg) : 0;
    }
    return 0;
}
