/*
 * cpython ABI: turning an HPyModuleDef into the PyModuleDef that
 * PyInit_<name> returns (multi-phase initialization, PEP 489).
 *
 * CPython then does the rest itself: it creates the module from the spec
 * (or calls our Py_mod_create trampoline), adds the methods and the doc, and
 * runs the Py_mod_exec trampolines. The checks mirror those of the universal
 * runtime (crates/hpy-runtime/src/module.rs), with the same exception types
 * and messages, so that a definition is accepted or refused alike in both
 * ABIs; they run at PyInit time because that is the only place we see the
 * definition.
 */
#include "ctx_internal.h"

/* ---- method tables (shared with the type machinery) ----------------------- */

_HPy_HIDDEN int
_HPyCPy_CheckMeth(const HPyMeth *meth)
{
    if (meth->name == NULL) {
        /* it would end the PyMethodDef array early, silently */
        PyErr_SetString(PyExc_SystemError, "an HPyDef_METH has no name");
        return -1;
    }
    switch (meth->signature) {
    case HPyFunc_VARARGS:
    case HPyFunc_KEYWORDS:
    case HPyFunc_NOARGS:
    case HPyFunc_O:
        break;
    default:
        /* HPy 0.9.0's exception and message, which its tests compare whole
           (the universal runtime raises the same) */
        PyErr_SetString(PyExc_ValueError, "Unsupported HPyMeth signature");
        return -1;
    }
    if (meth->cpy_trampoline == NULL) {
        PyErr_Format(PyExc_SystemError, "method '%s' has no trampoline",
                     meth->name);
        return -1;
    }
    return 0;
}

static int
meth_flags(HPyFunc_Signature sig)
{
    /* HPy's calling conventions are the vectorcall ones, so VARARGS and
       KEYWORDS map to METH_FASTCALL: CPython hands over its argument array
       and the trampoline reinterprets it as an array of HPy. */
    switch (sig) {
    case HPyFunc_VARARGS:  return METH_FASTCALL;
    case HPyFunc_KEYWORDS: return METH_FASTCALL | METH_KEYWORDS;
    case HPyFunc_NOARGS:   return METH_NOARGS;
    default:               return METH_O;   /* checked by _HPyCPy_CheckMeth */
    }
}

_HPy_HIDDEN PyMethodDef *
_HPyCPy_BuildMethodDefs(HPyDef **defines, PyMethodDef *legacy)
{
    size_t n = 0, i, k = 0;
    PyMethodDef *result;

    for (i = 0; defines != NULL && defines[i] != NULL; i++) {
        if (defines[i]->kind != HPyDef_Kind_Meth)
            continue;
        if (_HPyCPy_CheckMeth(&defines[i]->meth) < 0)
            return NULL;
        n++;
    }
    for (i = 0; legacy != NULL && legacy[i].ml_name != NULL; i++)
        n++;

    result = (PyMethodDef *)PyMem_Calloc(n + 1, sizeof(PyMethodDef));
    if (result == NULL) {
        PyErr_NoMemory();
        return NULL;
    }
    for (i = 0; defines != NULL && defines[i] != NULL; i++) {
        const HPyMeth *m = &defines[i]->meth;
        if (defines[i]->kind != HPyDef_Kind_Meth)
            continue;
        result[k].ml_name = m->name;
        result[k].ml_meth = (PyCFunction)(void (*)(void))m->cpy_trampoline;
        result[k].ml_flags = meth_flags(m->signature);
        result[k].ml_doc = m->doc;
        k++;
    }
    for (i = 0; legacy != NULL && legacy[i].ml_name != NULL; i++)
        result[k++] = legacy[i];
    /* result[n] stays zeroed: the sentinel */
    return result;
}


/* ---- the PyModuleDef ------------------------------------------------------ */

/* Copied into each definition we allocate: the object header of a
   PyModuleDef must be initialized exactly as PyModuleDef_HEAD_INIT does,
   which differs between CPython versions and builds. */
static const PyModuleDef moddef_template = {
    PyModuleDef_HEAD_INIT,
};

/* For multi-phase initialization CPython takes the module's name from the
   spec, never from m_name; it only has to be some valid string. */
static const char moddef_placeholder_name[] = "<HPy module>";

/* The definition of each HPyModuleDef, built on the first PyInit call.
   PyInit runs again for every interpreter that imports the module (and
   after a module was removed from sys.modules), and CPython requires the
   PyModuleDef to stay alive as long as any module made from it, so
   definitions are built once and kept for the life of the process. */
typedef struct _HPyCPy_ModDefEntry {
    HPyModuleDef *hpydef;
    PyModuleDef *def;
    struct _HPyCPy_ModDefEntry *next;
} _HPyCPy_ModDefEntry;

static _HPyCPy_ModDefEntry *moddef_cache;
_HPyCPy_MUTEX(moddef_cache_lock);

static PyModuleDef *
moddef_cache_find(HPyModuleDef *hpydef)
{
    _HPyCPy_ModDefEntry *e;
    PyModuleDef *found = NULL;
    _HPyCPy_LOCK(moddef_cache_lock);
    for (e = moddef_cache; e != NULL; e = e->next) {
        if (e->hpydef == hpydef) {
            found = e->def;
            break;
        }
    }
    _HPyCPy_UNLOCK(moddef_cache_lock);
    return found;
}

/* Returns the definition to use: `def` itself, or the one another thread
   registered first (then `def` is not needed, but CPython has not seen it
   either, so it is simply left unused). NULL if the entry cannot be
   allocated, with MemoryError set. */
static PyModuleDef *
moddef_cache_add(HPyModuleDef *hpydef, PyModuleDef *def)
{
    _HPyCPy_ModDefEntry *e, *entry;
    PyModuleDef *result = def;
    entry = (_HPyCPy_ModDefEntry *)PyMem_RawMalloc(sizeof(*entry));
    if (entry == NULL) {
        PyErr_NoMemory();
        return NULL;
    }
    entry->hpydef = hpydef;
    entry->def = def;
    _HPyCPy_LOCK(moddef_cache_lock);
    for (e = moddef_cache; e != NULL; e = e->next) {
        if (e->hpydef == hpydef) {
            result = e->def;
            break;
        }
    }
    if (result == def) {
        entry->next = moddef_cache;
        moddef_cache = entry;
        entry = NULL;
    }
    _HPyCPy_UNLOCK(moddef_cache_lock);
    PyMem_RawFree(entry);
    return result;
}

/* Why a definition with HPy_mod_create may hold nothing else (the same
   words as the universal runtime's). */
#define CREATE_ALONE \
    "the object HPy_mod_create returns is not a module the runtime could " \
    "fill; either define HPy_mod_create alone, or let the runtime create " \
    "the module from the definition"

static PyModuleDef *
build_moddef(HPyModuleDef *hpydef)
{
    HPyDef **defines = hpydef->defines;
    HPyDef *create = NULL;
    size_t n_meths = 0, n_execs = 0, n_slots, i, k = 0;
    PyModuleDef_Slot *slots = NULL;
    PyMethodDef *methods = NULL;
    PyModuleDef *def = NULL;

    if (hpydef->size < 0) {
        PyErr_SetString(PyExc_SystemError,
                        "HPy does not permit HPyModuleDef.size < 0");
        return NULL;
    }
    if (hpydef->size > 0) {
        PyErr_SetString(PyExc_SystemError,
            "Module state is not supported yet in HPy, set "
            "HPyModuleDef.size = 0 if module state is not needed");
        return NULL;
    }

    /* Sort the defines, refusing what a module cannot have, in the order
       they come (so that the first bad define is the one reported). */
    for (i = 0; defines != NULL && defines[i] != NULL; i++) {
        HPyDef *d = defines[i];
        switch (d->kind) {
        case HPyDef_Kind_Meth:
            if (_HPyCPy_CheckMeth(&d->meth) < 0)
                return NULL;
            n_meths++;
            break;
        case HPyDef_Kind_Slot:
            if (d->slot.slot == HPy_mod_create) {
                if (create != NULL) {
                    PyErr_SetString(PyExc_SystemError,
                        "Multiple definitions of the HPy_mod_create slot "
                        "in HPyModuleDef.defines.");
                    return NULL;
                }
                create = d;
            }
            else if (d->slot.slot == HPy_mod_exec) {
                n_execs++;
            }
            else {
                PyErr_Format(PyExc_SystemError,
                    "Unsupported slot in HPyModuleDef.defines (value: %d).",
                    (int)d->slot.slot);
                return NULL;
            }
            if (d->slot.cpy_trampoline == NULL) {
                PyErr_Format(PyExc_SystemError,
                    "HPyModuleDef.defines has a slot without a trampoline "
                    "(slot %d)", (int)d->slot.slot);
                return NULL;
            }
            break;
        default:
            PyErr_Format(PyExc_SystemError,
                "HPyModuleDef.defines has a define of kind %d, which only "
                "types can have", (int)d->kind);
            return NULL;
        }
    }
    /* The messages are HPy 0.9.0's up to the colon (its tests match them). */
    if (create != NULL && (n_meths > 0 || n_execs > 0)) {
        PyErr_SetString(PyExc_SystemError,
            "HPyModuleDef defines a HPy_mod_create slot and some other slots "
            "or methods: " CREATE_ALONE);
        return NULL;
    }
    if (create != NULL && (hpydef->legacy_methods != NULL ||
                           hpydef->doc != NULL || hpydef->globals != NULL)) {
        PyErr_SetString(PyExc_SystemError,
            "HPyModuleDef defines a HPy_mod_create slot and some of the other "
            "fields are not set to their default value: " CREATE_ALONE);
        return NULL;
    }

    if (n_meths > 0 || hpydef->legacy_methods != NULL) {
        methods = _HPyCPy_BuildMethodDefs(defines, hpydef->legacy_methods);
        if (methods == NULL)
            return NULL;
    }

    n_slots = n_execs + (create != NULL ? 1 : 0);
    if (n_slots > 0) {
        slots = (PyModuleDef_Slot *)PyMem_Calloc(n_slots + 1,
                                                 sizeof(PyModuleDef_Slot));
        if (slots == NULL) {
            PyErr_NoMemory();
            goto error;
        }
        if (create != NULL) {
            slots[k].slot = Py_mod_create;
            slots[k].value = (void *)create->slot.cpy_trampoline;
            k++;
        }
        /* exec slots run in the order they were defined */
        for (i = 0; defines != NULL && defines[i] != NULL; i++) {
            HPyDef *d = defines[i];
            if (d->kind == HPyDef_Kind_Slot && d->slot.slot == HPy_mod_exec) {
                slots[k].slot = Py_mod_exec;
                slots[k].value = (void *)d->slot.cpy_trampoline;
                k++;
            }
        }
    }

    def = (PyModuleDef *)PyMem_Malloc(sizeof(PyModuleDef));
    if (def == NULL) {
        PyErr_NoMemory();
        goto error;
    }
    memcpy(def, &moddef_template, sizeof(PyModuleDef));
    def->m_name = moddef_placeholder_name;
    def->m_doc = hpydef->doc;
    def->m_size = 0;
    def->m_methods = methods;
    def->m_slots = slots;
    return def;

error:
    PyMem_Free(methods);
    PyMem_Free(slots);
    return NULL;
}

_HPy_HIDDEN PyObject *
_HPyCPy_ModuleInit(HPyModuleDef *hpydef)
{
    PyModuleDef *def = moddef_cache_find(hpydef);
    if (def == NULL) {
        def = build_moddef(hpydef);
        if (def == NULL)
            return NULL;
        def = moddef_cache_add(hpydef, def);
        if (def == NULL)
            return NULL;
    }
    return PyModuleDef_Init(def);
}

_HPy_HIDDEN PyObject *
_HPyCPy_CheckModCreateResult(PyObject *result)
{
    /* A module object would make CPython fill it (methods, doc, exec
       slots) although the definition promised there was nothing to fill:
       refuse it, as the universal runtime does. */
    if (result != NULL && PyModule_Check(result)) {
        Py_DECREF(result);
        PyErr_SetString(PyExc_SystemError,
            "HPy_mod_create slot returned a builtin module object. "
            "This is currently not supported.");
        return NULL;
    }
    return result;
}
