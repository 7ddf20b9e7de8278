//! HPyListBuilder and HPyTupleBuilder.
//!
//! A builder is the list or tuple under construction (`_lst` / `_tup` is the
//! `PyObject *`), or 0 when it could not be allocated: then every Set is
//! ignored, Cancel does nothing and Build raises the MemoryError, so that the
//! caller only has to check the result of Build.
//!
//! The items start as NULL. Build refuses a container with an item that was
//! never set (SystemError), because Python code would crash on it.

use crate::errors::set_error;
use crate::handles::{h2py, py2h};
use hpy_abi::*;
use pyo3_ffi as ffi;

/// How a list and a tuple differ for the builders.
struct Kind {
    api: &'static str,
    what: &'static str,
    new: unsafe fn(HPy_ssize_t) -> *mut ffi::PyObject,
    len: unsafe fn(*mut ffi::PyObject) -> HPy_ssize_t,
    items: unsafe fn(*mut ffi::PyObject) -> *mut *mut ffi::PyObject,
}

unsafe fn list_new(size: HPy_ssize_t) -> *mut ffi::PyObject {
    ffi::PyList_New(size)
}

unsafe fn list_len(o: *mut ffi::PyObject) -> HPy_ssize_t {
    ffi::PyList_GET_SIZE(o)
}

unsafe fn list_items(o: *mut ffi::PyObject) -> *mut *mut ffi::PyObject {
    (*o.cast::<ffi::PyListObject>()).ob_item
}

unsafe fn tuple_new(size: HPy_ssize_t) -> *mut ffi::PyObject {
    ffi::PyTuple_New(size)
}

unsafe fn tuple_len(o: *mut ffi::PyObject) -> HPy_ssize_t {
    ffi::PyTuple_GET_SIZE(o)
}

unsafe fn tuple_items(o: *mut ffi::PyObject) -> *mut *mut ffi::PyObject {
    std::ptr::addr_of_mut!((*o.cast::<ffi::PyTupleObject>()).ob_item).cast()
}

const LIST: Kind = Kind { api: "HPyListBuilder", what: "list", new: list_new, len: list_len, items: list_items };
const TUPLE: Kind = Kind { api: "HPyTupleBuilder", what: "tuple", new: tuple_new, len: tuple_len, items: tuple_items };

impl Kind {
    /// The container, or 0 if it could not be made (the error is dropped:
    /// Build reports it as a MemoryError).
    unsafe fn start(&self, size: HPy_ssize_t) -> isize {
        let o = (self.new)(size);
        if o.is_null() {
            ffi::PyErr_Clear();
        }
        o as isize
    }

    unsafe fn set(&self, builder: isize, index: HPy_ssize_t, h_item: HPy) {
        let o = builder as *mut ffi::PyObject;
        if o.is_null() {
            return;
        }
        if index < 0 || index >= (self.len)(o) {
            // The call has no error result; the exception makes the caller
            // fail as soon as it returns to Python.
            set_error(ffi::PyExc_IndexError, &format!("{} assignment index out of range", self.what));
            return;
        }
        let item = h2py(h_item);
        ffi::Py_XINCREF(item);
        let slot = (self.items)(o).offset(index);
        let old = *slot;
        *slot = item;
        ffi::Py_XDECREF(old);
    }

    unsafe fn build(&self, builder: isize) -> HPy {
        let o = builder as *mut ffi::PyObject;
        if o.is_null() {
            ffi::PyErr_NoMemory();
            return HPy::NULL;
        }
        let items = (self.items)(o);
        if let Some(i) = (0..(self.len)(o)).find(|&i| (*items.offset(i)).is_null()) {
            ffi::Py_DECREF(o);
            set_error(ffi::PyExc_SystemError, &format!("{}_Build: item {i} was never set", self.api));
            return HPy::NULL;
        }
        py2h(o)
    }

    unsafe fn cancel(&self, builder: isize) {
        // Releasing the container releases the items set so far.
        ffi::Py_XDECREF(builder as *mut ffi::PyObject);
    }
}

pub unsafe extern "C" fn ctx_ListBuilder_New(_ctx: *mut HPyContext, size: HPy_ssize_t) -> HPyListBuilder {
    HPyListBuilder { _lst: LIST.start(size) }
}

pub unsafe extern "C" fn ctx_ListBuilder_Set(_ctx: *mut HPyContext, builder: HPyListBuilder, index: HPy_ssize_t, h_item: HPy) {
    LIST.set(builder._lst, index, h_item)
}

pub unsafe extern "C" fn ctx_ListBuilder_Build(_ctx: *mut HPyContext, builder: HPyListBuilder) -> HPy {
    LIST.build(builder._lst)
}

pub unsafe extern "C" fn ctx_ListBuilder_Cancel(_ctx: *mut HPyContext, builder: HPyListBuilder) {
    LIST.cancel(builder._lst)
}

pub unsafe extern "C" fn ctx_TupleBuilder_New(_ctx: *mut HPyContext, size: HPy_ssize_t) -> HPyTupleBuilder {
    HPyTupleBuilder { _tup: TUPLE.start(size) }
}

pub unsafe extern "C" fn ctx_TupleBuilder_Set(_ctx: *mut HPyContext, builder: HPyTupleBuilder, index: HPy_ssize_t, h_item: HPy) {
    TUPLE.set(builder._tup, index, h_item)
}

pub unsafe extern "C" fn ctx_TupleBuilder_Build(_ctx: *mut HPyContext, builder: HPyTupleBuilder) -> HPy {
    TUPLE.build(builder._tup)
}

pub unsafe extern "C" fn ctx_TupleBuilder_Cancel(_ctx: *mut HPyContext, builder: HPyTupleBuilder) {
    TUPLE.cancel(builder._tup)
}
