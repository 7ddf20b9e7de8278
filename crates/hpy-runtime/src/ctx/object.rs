//! Handles and the generic object protocol.

use crate::handles::{h2py, py2h};
use hpy_abi::*;
use pyo3_ffi as ffi;
use std::ffi::{c_char, c_int};

pub unsafe extern "C" fn ctx_Dup(_ctx: *mut HPyContext, h: HPy) -> HPy {
    ffi::Py_XINCREF(h2py(h));
    h
}

pub unsafe extern "C" fn ctx_Close(_ctx: *mut HPyContext, h: HPy) {
    ffi::Py_XDECREF(h2py(h));
}

pub unsafe extern "C" fn ctx_Type(_ctx: *mut HPyContext, obj: HPy) -> HPy {
    let t = ffi::Py_TYPE(h2py(obj)).cast::<ffi::PyObject>();
    ffi::Py_INCREF(t);
    py2h(t)
}

pub unsafe extern "C" fn ctx_TypeCheck(_ctx: *mut HPyContext, obj: HPy, ty: HPy) -> c_int {
    let t = h2py(ty);
    let obj_type = ffi::Py_TYPE(h2py(obj));
    // An object's own type is a type: the exact match, the frequent case,
    // needs no check of `ty`.
    if obj_type == t.cast() {
        return 1;
    }
    if ffi::PyType_Check(t) == 0 {
        // Undefined in C terms; a clear error beats a crash.
        return type_check_not_a_type();
    }
    super::types::is_subtype(obj_type, t.cast())
}

/// Out of line and returning the result itself, so that the error is a tail
/// call and the other paths need no stack frame (`black_box`: a result the
/// compiler knew to be 0 would be used in place of the call's, which then
/// could not be a tail call).
#[cold]
#[inline(never)]
unsafe fn type_check_not_a_type() -> c_int {
    super::types::not_a_type("HPy_TypeCheck", 2);
    std::hint::black_box(0)
}

pub unsafe extern "C" fn ctx_Is(_ctx: *mut HPyContext, obj: HPy, other: HPy) -> c_int {
    (obj._i == other._i) as c_int
}

pub unsafe extern "C" fn ctx_IsTrue(_ctx: *mut HPyContext, h: HPy) -> c_int {
    ffi::PyObject_IsTrue(h2py(h))
}

pub unsafe extern "C" fn ctx_Callable_Check(_ctx: *mut HPyContext, h: HPy) -> c_int {
    ffi::PyCallable_Check(h2py(h))
}

pub unsafe extern "C" fn ctx_Length(_ctx: *mut HPyContext, h: HPy) -> HPy_ssize_t {
    ffi::PyObject_Size(h2py(h))
}

pub unsafe extern "C" fn ctx_Hash(_ctx: *mut HPyContext, obj: HPy) -> HPy_hash_t {
    ffi::PyObject_Hash(h2py(obj))
}

macro_rules! unary_object_fns {
    ($($name:ident => $ffi:ident),* $(,)?) => {$(
        pub unsafe extern "C" fn $name(_ctx: *mut HPyContext, obj: HPy) -> HPy {
            py2h(ffi::$ffi(h2py(obj)))
        }
    )*};
}

unary_object_fns! {
    ctx_Repr => PyObject_Repr,
    ctx_Str => PyObject_Str,
    ctx_ASCII => PyObject_ASCII,
    ctx_Bytes => PyObject_Bytes,
}

pub unsafe extern "C" fn ctx_RichCompare(_ctx: *mut HPyContext, v: HPy, w: HPy, op: c_int) -> HPy {
    py2h(ffi::PyObject_RichCompare(h2py(v), h2py(w), op))
}

pub unsafe extern "C" fn ctx_RichCompareBool(_ctx: *mut HPyContext, v: HPy, w: HPy, op: c_int) -> c_int {
    ffi::PyObject_RichCompareBool(h2py(v), h2py(w), op)
}

pub unsafe extern "C" fn ctx_GetAttr(_ctx: *mut HPyContext, obj: HPy, name: HPy) -> HPy {
    py2h(ffi::PyObject_GetAttr(h2py(obj), h2py(name)))
}

pub unsafe extern "C" fn ctx_GetAttr_s(_ctx: *mut HPyContext, obj: HPy, name: *const c_char) -> HPy {
    py2h(ffi::PyObject_GetAttrString(h2py(obj), name))
}

/// What `PyObject_HasAttr` did before CPython 3.13, and HPy specifies:
/// every error of the lookup is cleared. Since 3.13 it reports errors other
/// than AttributeError on stderr as unraisable.
pub unsafe extern "C" fn ctx_HasAttr(_ctx: *mut HPyContext, obj: HPy, name: HPy) -> c_int {
    found_attribute(ffi::PyObject_GetAttr(h2py(obj), h2py(name)))
}

unsafe fn found_attribute(value: *mut ffi::PyObject) -> c_int {
    if value.is_null() {
        ffi::PyErr_Clear();
        return 0;
    }
    ffi::Py_DECREF(value);
    1
}

pub unsafe extern "C" fn ctx_HasAttr_s(_ctx: *mut HPyContext, obj: HPy, name: *const c_char) -> c_int {
    found_attribute(ffi::PyObject_GetAttrString(h2py(obj), name))
}

pub unsafe extern "C" fn ctx_SetAttr(_ctx: *mut HPyContext, obj: HPy, name: HPy, value: HPy) -> c_int {
    ffi::PyObject_SetAttr(h2py(obj), h2py(name), h2py(value))
}

pub unsafe extern "C" fn ctx_SetAttr_s(_ctx: *mut HPyContext, obj: HPy, name: *const c_char, value: HPy) -> c_int {
    ffi::PyObject_SetAttrString(h2py(obj), name, h2py(value))
}

pub unsafe extern "C" fn ctx_GetItem(_ctx: *mut HPyContext, obj: HPy, key: HPy) -> HPy {
    py2h(getitem(h2py(obj), h2py(key)))
}

/// `o[key]`. An exact dict is looked up directly: the same lookup and the
/// same errors as its `__getitem__`, without the dispatch of the generic
/// protocol (a quarter of the cost of a dict lookup).
#[inline(always)]
unsafe fn getitem(o: *mut ffi::PyObject, key: *mut ffi::PyObject) -> *mut ffi::PyObject {
    if ffi::PyDict_CheckExact(o) == 0 {
        return ffi::PyObject_GetItem(o, key);
    }
    let value = ffi::PyDict_GetItemWithError(o, key);
    if value.is_null() {
        return missing_key(key);
    }
    ffi::Py_INCREF(value);
    value
}

/// The KeyError of a dict lookup that found nothing, unless the lookup
/// itself failed (an unhashable key, a failing `__eq__`).
#[cold]
#[inline(never)]
unsafe fn missing_key(key: *mut ffi::PyObject) -> *mut ffi::PyObject {
    if ffi::PyErr_Occurred().is_null() {
        // As dict does: the key in a 1-tuple, so that a tuple key is
        // reported whole rather than taken for the exception's arguments.
        let args = ffi::PyTuple_Pack(1, key);
        if !args.is_null() {
            ffi::PyErr_SetObject(ffi::PyExc_KeyError, args);
            ffi::Py_DECREF(args);
        }
    }
    std::ptr::null_mut()
}

/// Tuples and lists are indexed directly; other sequences and mappings go
/// through the generic protocol with an int key, as CPython would.
pub unsafe extern "C" fn ctx_GetItem_i(_ctx: *mut HPyContext, obj: HPy, idx: HPy_ssize_t) -> HPy {
    let o = h2py(obj);
    // (one unsigned comparison covers idx < 0 too)
    if ffi::PyTuple_CheckExact(o) != 0 {
        if (idx as usize) < ffi::PyTuple_GET_SIZE(o) as usize {
            let item = ffi::PyTuple_GET_ITEM(o, idx);
            ffi::Py_INCREF(item);
            return py2h(item);
        }
    } else if ffi::PyList_CheckExact(o) != 0 && (idx as usize) < ffi::PyList_GET_SIZE(o) as usize {
        let item = ffi::PyList_GET_ITEM(o, idx);
        ffi::Py_INCREF(item);
        return py2h(item);
    }
    getitem_boxed(o, idx)
}

/// Out of line, so that the direct paths above need no stack frame.
#[inline(never)]
unsafe fn getitem_boxed(o: *mut ffi::PyObject, idx: HPy_ssize_t) -> HPy {
    let key = ffi::PyLong_FromSsize_t(idx);
    if key.is_null() {
        return HPy::NULL;
    }
    let r = ffi::PyObject_GetItem(o, key);
    ffi::Py_DECREF(key);
    py2h(r)
}

pub unsafe extern "C" fn ctx_GetItem_s(_ctx: *mut HPyContext, obj: HPy, key: *const c_char) -> HPy {
    let k = ffi::PyUnicode_FromString(key);
    if k.is_null() {
        return HPy::NULL;
    }
    let r = getitem(h2py(obj), k);
    ffi::Py_DECREF(k);
    py2h(r)
}

pub unsafe extern "C" fn ctx_Contains(_ctx: *mut HPyContext, container: HPy, key: HPy) -> c_int {
    ffi::PySequence_Contains(h2py(container), h2py(key))
}

pub unsafe extern "C" fn ctx_SetItem(_ctx: *mut HPyContext, obj: HPy, key: HPy, value: HPy) -> c_int {
    ffi::PyObject_SetItem(h2py(obj), h2py(key), h2py(value))
}

/// Runs `f` with a temporary Python object made by `make`, -1 if that fails.
unsafe fn with_key(make: *mut ffi::PyObject, f: impl FnOnce(*mut ffi::PyObject) -> c_int) -> c_int {
    if make.is_null() {
        return -1;
    }
    let r = f(make);
    ffi::Py_DECREF(make);
    r
}

pub unsafe extern "C" fn ctx_SetItem_i(_ctx: *mut HPyContext, obj: HPy, idx: HPy_ssize_t, value: HPy) -> c_int {
    with_key(ffi::PyLong_FromSsize_t(idx), |k| ffi::PyObject_SetItem(h2py(obj), k, h2py(value)))
}

pub unsafe extern "C" fn ctx_SetItem_s(_ctx: *mut HPyContext, obj: HPy, key: *const c_char, value: HPy) -> c_int {
    with_key(ffi::PyUnicode_FromString(key), |k| ffi::PyObject_SetItem(h2py(obj), k, h2py(value)))
}

pub unsafe extern "C" fn ctx_DelItem(_ctx: *mut HPyContext, obj: HPy, key: HPy) -> c_int {
    ffi::PyObject_DelItem(h2py(obj), h2py(key))
}

pub unsafe extern "C" fn ctx_DelItem_i(_ctx: *mut HPyContext, obj: HPy, idx: HPy_ssize_t) -> c_int {
    with_key(ffi::PyLong_FromSsize_t(idx), |k| ffi::PyObject_DelItem(h2py(obj), k))
}

pub unsafe extern "C" fn ctx_DelItem_s(_ctx: *mut HPyContext, obj: HPy, key: *const c_char) -> c_int {
    with_key(ffi::PyUnicode_FromString(key), |k| ffi::PyObject_DelItem(h2py(obj), k))
}
