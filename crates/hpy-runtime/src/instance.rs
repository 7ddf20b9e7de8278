//! The life of an instance of an HPy type: the slots the runtime installs
//! itself (`tp_dealloc`, `tp_clear`, `tp_call`), the per-object call function,
//! and the traversal of `HPyField`s for the garbage collector.

use crate::typemeta::{self, TypeMeta};
use hpy_abi::*;
use pyo3_ffi as ffi;
use std::ffi::{c_int, c_void};
use std::ptr::addr_of_mut;

/// The struct that `meta`'s own functions (destroy, traverse) receive.
#[inline]
unsafe fn data_for(obj: *mut ffi::PyObject, meta: &TypeMeta) -> *mut c_void {
    obj.cast::<u8>().offset(meta.offset).cast()
}

/// The struct of `obj` according to the nearest HPy type of its type (the
/// object itself if there is none: the legacy layout).
pub unsafe fn data_of(obj: *mut ffi::PyObject) -> *mut c_void {
    obj.cast::<u8>().offset(typemeta::nearest(ffi::Py_TYPE(obj)).map_or(0, |m| m.offset)).cast()
}

unsafe fn is_heap_type(tp: *mut ffi::PyTypeObject) -> bool {
    ffi::PyType_HasFeature(tp, ffi::Py_TPFLAGS_HEAPTYPE) != 0
}

// ---- HPyFields ------------------------------------------------------------

/// The object a field holds (it owns a strong reference), or NULL.
#[inline]
pub fn field_object(f: HPyField) -> *mut ffi::PyObject {
    f._i as *mut ffi::PyObject
}

/// Visitor that empties a field and releases what it held.
unsafe extern "C" fn clear_field(f: *mut HPyField, _arg: *mut c_void) -> c_int {
    let old = field_object(*f);
    (*f)._i = 0;
    ffi::Py_XDECREF(old);
    0
}

/// Empties every field of `obj` that a `HPy_tp_traverse` of its types visits.
unsafe fn clear_fields(obj: *mut ffi::PyObject) {
    for meta in typemeta::hpy_types(ffi::Py_TYPE(obj)) {
        if let Some(traverse) = meta.traverse {
            traverse(data_for(obj, meta), Some(clear_field), std::ptr::null_mut());
        }
    }
}

/// CPython's visitor and its argument, seen through HPy's visitor.
struct CpyVisit {
    visit: unsafe extern "C" fn(*mut ffi::PyObject, *mut c_void) -> c_int,
    arg: *mut c_void,
}

unsafe extern "C" fn visit_field(f: *mut HPyField, arg: *mut c_void) -> c_int {
    let o = field_object(*f);
    if o.is_null() {
        return 0;
    }
    let v = &*(arg as *const CpyVisit);
    (v.visit)(o, v.arg)
}

/// `tp_traverse` of an HPy type: what its trampoline does. Instances of a
/// heap type reference their type, and the traversal of a heap type visits
/// it: also when called as the base traversal of a Python subclass, because
/// CPython's `subtype_traverse` leaves that visit to a heap base.
pub unsafe fn call_traverse(
    traverse: HPyFunc_traverseproc,
    obj: *mut ffi::PyObject,
    visit: cpy_visitproc,
    arg: *mut c_void,
) -> c_int {
    let Some(visit) = visit else { return 0 };
    let visit: unsafe extern "C" fn(*mut ffi::PyObject, *mut c_void) -> c_int = std::mem::transmute(visit);
    let tp = ffi::Py_TYPE(obj);
    let r = visit(tp.cast(), arg);
    if r != 0 {
        return r;
    }
    let v = CpyVisit { visit, arg };
    let r = traverse(data_of(obj), Some(visit_field), &v as *const CpyVisit as *mut c_void);
    if r != 0 {
        return r;
    }
    // What the builtin part of the object references (list or tuple items,
    // a type's dict, ...), as CPython's subtype_traverse would do.
    match builtin_base(tp).as_ref().and_then(|b| b.tp_traverse) {
        Some(base_traverse) => base_traverse(obj, visit, arg),
        None => 0,
    }
}

/// `tp_clear` of HPy types with `HPy_tp_traverse`.
pub unsafe extern "C" fn hpy_clear(obj: *mut ffi::PyObject) -> c_int {
    clear_fields(obj);
    match builtin_base(ffi::Py_TYPE(obj)).as_ref().and_then(|b| b.tp_clear) {
        Some(base_clear) => base_clear(obj),
        None => 0,
    }
}

// ---- deallocation ---------------------------------------------------------

/// The nearest base that is a static (builtin) type: its `tp_dealloc` frees
/// what the builtin part of the object owns (list items, str buffers, ...),
/// its `tp_traverse` and `tp_clear` handle the references in that part.
/// Heap types in between (Python classes, other HPy types) are skipped:
/// their slots would recurse into the object's own type.
unsafe fn builtin_base(tp: *mut ffi::PyTypeObject) -> *mut ffi::PyTypeObject {
    let mut b = (*tp).tp_base;
    while !b.is_null() && is_heap_type(b) {
        b = (*b).tp_base;
    }
    b
}

/// `tp_dealloc` of HPy types with `HPy_tp_destroy` or `HPy_tp_traverse`.
///
/// Also reached as the base deallocator of Python subclasses (from CPython's
/// `subtype_dealloc`, which then leaves the type's reference to us because
/// our type is a heap type).
pub unsafe extern "C" fn hpy_dealloc(obj: *mut ffi::PyObject) {
    let tp = ffi::Py_TYPE(obj);
    let top_level = (*tp).tp_dealloc.map(|f| f as usize) == Some(hpy_dealloc as ffi::destructor as usize);
    if top_level && (*tp).tp_finalize.is_some() && ffi::PyObject_CallFinalizerFromDealloc(obj) < 0 {
        return; // resurrected
    }
    let gc = ffi::PyType_IS_GC(tp) != 0;
    if gc {
        ffi::PyObject_GC_UnTrack(obj.cast());
    }
    if (*tp).tp_weaklistoffset != 0 {
        ffi::PyObject_ClearWeakRefs(obj);
    }
    clear_fields(obj);
    for meta in typemeta::hpy_types(tp) {
        if let Some(destroy) = meta.destroy {
            destroy(data_for(obj, meta));
        }
    }
    let base = builtin_base(tp);
    let base_gc = !base.is_null() && ffi::PyType_IS_GC(base) != 0;
    // A GC-aware base deallocator on an object allocated without a GC header
    // (a type with HPy_tp_traverse but without HPy_TPFLAGS_HAVE_GC) would
    // corrupt memory: the base's part of the object is then leaked instead.
    let base_dealloc = if base.is_null() || base == addr_of_mut!(ffi::PyBaseObject_Type) || (base_gc && !gc) {
        None // object's deallocator only frees the memory
    } else {
        (*base).tp_dealloc
    };
    match base_dealloc {
        Some(dealloc) => {
            // As CPython's subtype_dealloc: a GC-aware base untracks the
            // object itself.
            if base_gc {
                ffi::PyObject_GC_Track(obj.cast());
            }
            dealloc(obj);
        }
        None => {
            if let Some(free) = (*tp).tp_free {
                free(obj.cast());
            }
        }
    }
    ffi::Py_DECREF(tp.cast());
}

// ---- calls ----------------------------------------------------------------

/// The slot of `obj` that holds its call function.
#[inline]
unsafe fn call_slot(obj: *mut ffi::PyObject, tp: *mut ffi::PyTypeObject) -> Option<*mut Option<ffi::vectorcallfunc>> {
    let off = (*tp).tp_vectorcall_offset;
    (off > 0).then(|| obj.cast::<u8>().offset(off).cast())
}

/// Gives a new instance the default call function of its type, if any.
#[inline]
pub unsafe fn init_call_function(obj: *mut ffi::PyObject, tp: *mut ffi::PyTypeObject) {
    if ffi::PyType_HasFeature(tp, ffi::Py_TPFLAGS_HAVE_VECTORCALL) != 0 {
        init_call_slot(obj, tp);
    }
}

/// Out of line: most types have no call function, and `HPy_New` stays
/// smaller without the search of the bases inlined into it.
#[inline(never)]
unsafe fn init_call_slot(obj: *mut ffi::PyObject, tp: *mut ffi::PyTypeObject) {
    if let Some(slot) = call_slot(obj, tp) {
        if let Some(f) = typemeta::call_default(tp) {
            *slot = Some(f);
        }
    }
}

/// Sets the call function of `obj`; false if its type has no slot for one.
pub unsafe fn set_call_function(obj: *mut ffi::PyObject, f: Option<ffi::vectorcallfunc>) -> bool {
    let tp = ffi::Py_TYPE(obj);
    match call_slot(obj, tp) {
        Some(slot) => {
            *slot = f;
            true
        }
        None => false,
    }
}

/// `tp_call` of HPy types with a call function. Instances made by a
/// `tp_new` that is not HPy's (e.g. `object.__new__`) get the default of
/// their type on their first call; after that CPython calls the function
/// directly through the vectorcall protocol.
pub unsafe extern "C" fn hpy_call(obj: *mut ffi::PyObject, args: *mut ffi::PyObject, kwargs: *mut ffi::PyObject) -> *mut ffi::PyObject {
    let tp = ffi::Py_TYPE(obj);
    if let Some(slot) = call_slot(obj, tp) {
        if (*slot).is_none() {
            *slot = typemeta::call_default(tp);
        }
    }
    ffi::PyVectorcall_Call(obj, args, kwargs)
}
