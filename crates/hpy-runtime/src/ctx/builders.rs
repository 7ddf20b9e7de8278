//! HPyListBuilder and HPyTupleBuilder.
//!
//! A builder is the list or tuple under construction (`_lst` / `_tup` is the
//! `PyObject *`), or 0 when it could not be allocated: then every Set is
//! ignored, Cancel does nothing and Build raises the MemoryError, so that the
//! caller only has to check the result of Build.
//!
//! The items start as NULL. An item never set is C-level misuse that would
//! crash Python code reading the container; finding it costs a scan of
//! every item at each Build, so the universal context trusts the caller (as
//! HPy 0.9.0 and the C API's PyList_New do) and debug mode, through
//! `checked_ListBuilder_Build`/`checked_TupleBuilder_Build`, refuses such a
//! container with a SystemError. Likewise for an index set twice (`set`).

use crate::errors::set_error;
use crate::handles::{h2py, py2h};
use hpy_abi::*;
use pyo3_ffi as ffi;

/// How a list and a tuple differ for the builders. Static dispatch: every
/// builder function compiles to straight-line code for its container (these
/// are hot: one Set per item).
trait Kind {
    const API: &'static str;
    const WHAT: &'static str;
    unsafe fn new(size: HPy_ssize_t) -> *mut ffi::PyObject;
    unsafe fn len(o: *mut ffi::PyObject) -> HPy_ssize_t;
    unsafe fn items(o: *mut ffi::PyObject) -> *mut *mut ffi::PyObject;
}

struct List;
struct Tuple;

impl Kind for List {
    const API: &'static str = "HPyListBuilder";
    const WHAT: &'static str = "list";
    #[inline(always)]
    unsafe fn new(size: HPy_ssize_t) -> *mut ffi::PyObject {
        ffi::PyList_New(size)
    }
    #[inline(always)]
    unsafe fn len(o: *mut ffi::PyObject) -> HPy_ssize_t {
        ffi::PyList_GET_SIZE(o)
    }
    #[inline(always)]
    unsafe fn items(o: *mut ffi::PyObject) -> *mut *mut ffi::PyObject {
        (*o.cast::<ffi::PyListObject>()).ob_item
    }
}

impl Kind for Tuple {
    const API: &'static str = "HPyTupleBuilder";
    const WHAT: &'static str = "tuple";
    #[inline(always)]
    unsafe fn new(size: HPy_ssize_t) -> *mut ffi::PyObject {
        ffi::PyTuple_New(size)
    }
    #[inline(always)]
    unsafe fn len(o: *mut ffi::PyObject) -> HPy_ssize_t {
        ffi::PyTuple_GET_SIZE(o)
    }
    #[inline(always)]
    unsafe fn items(o: *mut ffi::PyObject) -> *mut *mut ffi::PyObject {
        std::ptr::addr_of_mut!((*o.cast::<ffi::PyTupleObject>()).ob_item).cast()
    }
}

/// The container, or 0 if it could not be made (the error is dropped:
/// Build reports it as a MemoryError).
#[inline(always)]
unsafe fn start<K: Kind>(size: HPy_ssize_t) -> isize {
    let o = K::new(size);
    if o.is_null() {
        return no_container();
    }
    o as isize
}

// The failure paths are out of line and end the call, so that New and
// Build keep no register across a call on their usual path.

#[cold]
#[inline(never)]
unsafe fn no_container() -> isize {
    ffi::PyErr_Clear();
    0
}

#[cold]
#[inline(never)]
unsafe fn build_failed() -> HPy {
    ffi::PyErr_NoMemory();
    HPy::NULL
}

#[cold]
#[inline(never)]
unsafe fn index_error(what: &str) {
    // The call has no error result; the exception makes the caller fail as
    // soon as it returns to Python.
    set_error(ffi::PyExc_IndexError, &format!("{what} assignment index out of range"));
}

/// Set. An index out of range would write outside the item array, so it
/// is refused. An index set twice: the universal context leaks the first
/// item, as the C API's PyList_SET_ITEM does; debug mode (`RELEASE_OLD`)
/// releases it, last, as the release may run arbitrary code.
#[inline(always)]
unsafe fn set<K: Kind, const RELEASE_OLD: bool>(builder: isize, index: HPy_ssize_t, h_item: HPy) {
    let o = builder as *mut ffi::PyObject;
    if o.is_null() {
        return;
    }
    // one unsigned comparison covers index < 0 too
    if index as usize >= K::len(o) as usize {
        return index_error(K::WHAT);
    }
    let item = h2py(h_item);
    ffi::Py_INCREF(item);
    let slot = &mut *K::items(o).offset(index);
    if RELEASE_OLD {
        ffi::Py_XDECREF(std::mem::replace(slot, item));
    } else {
        *slot = item;
    }
}

#[cold]
#[inline(never)]
unsafe fn unset_item(o: *mut ffi::PyObject, api: &str, i: usize) -> HPy {
    ffi::Py_DECREF(o);
    set_error(ffi::PyExc_SystemError, &format!("{api}_Build: item {i} was never set"));
    HPy::NULL
}

#[inline(always)]
unsafe fn build<K: Kind>(builder: isize) -> HPy {
    let o = builder as *mut ffi::PyObject;
    if o.is_null() {
        return build_failed();
    }
    py2h(o)
}

/// Build, refusing a container with an item that was never set.
#[inline(always)]
unsafe fn build_checked<K: Kind>(builder: isize) -> HPy {
    let o = builder as *mut ffi::PyObject;
    if !o.is_null() {
        let len = K::len(o) as usize;
        // An empty list has no item array (NULL), which a slice must not point to.
        let items = if len == 0 { &[][..] } else { std::slice::from_raw_parts(K::items(o), len) };
        if let Some(i) = items.iter().position(|p| p.is_null()) {
            return unset_item(o, K::API, i);
        }
    }
    build::<K>(builder)
}

#[inline(always)]
unsafe fn cancel(builder: isize) {
    // Releasing the container releases the items set so far.
    ffi::Py_XDECREF(builder as *mut ffi::PyObject);
}

pub unsafe extern "C" fn ctx_ListBuilder_New(_ctx: *mut HPyContext, size: HPy_ssize_t) -> HPyListBuilder {
    HPyListBuilder { _lst: start::<List>(size) }
}

pub unsafe extern "C" fn ctx_ListBuilder_Set(_ctx: *mut HPyContext, builder: HPyListBuilder, index: HPy_ssize_t, h_item: HPy) {
    set::<List, false>(builder._lst, index, h_item)
}

pub unsafe extern "C" fn ctx_ListBuilder_Build(_ctx: *mut HPyContext, builder: HPyListBuilder) -> HPy {
    build::<List>(builder._lst)
}

pub unsafe extern "C" fn ctx_ListBuilder_Cancel(_ctx: *mut HPyContext, builder: HPyListBuilder) {
    cancel(builder._lst)
}

pub unsafe extern "C" fn ctx_TupleBuilder_New(_ctx: *mut HPyContext, size: HPy_ssize_t) -> HPyTupleBuilder {
    HPyTupleBuilder { _tup: start::<Tuple>(size) }
}

pub unsafe extern "C" fn ctx_TupleBuilder_Set(_ctx: *mut HPyContext, builder: HPyTupleBuilder, index: HPy_ssize_t, h_item: HPy) {
    set::<Tuple, false>(builder._tup, index, h_item)
}

pub unsafe extern "C" fn ctx_TupleBuilder_Build(_ctx: *mut HPyContext, builder: HPyTupleBuilder) -> HPy {
    build::<Tuple>(builder._tup)
}

pub unsafe extern "C" fn ctx_TupleBuilder_Cancel(_ctx: *mut HPyContext, builder: HPyTupleBuilder) {
    cancel(builder._tup)
}

// Debug mode's Set and Build (see the module comment and `set`).

#[inline]
pub unsafe extern "C" fn checked_ListBuilder_Set(_ctx: *mut HPyContext, builder: HPyListBuilder, index: HPy_ssize_t, h_item: HPy) {
    set::<List, true>(builder._lst, index, h_item)
}

#[inline]
pub unsafe extern "C" fn checked_TupleBuilder_Set(_ctx: *mut HPyContext, builder: HPyTupleBuilder, index: HPy_ssize_t, h_item: HPy) {
    set::<Tuple, true>(builder._tup, index, h_item)
}

#[inline]
pub unsafe extern "C" fn checked_ListBuilder_Build(_ctx: *mut HPyContext, builder: HPyListBuilder) -> HPy {
    build_checked::<List>(builder._lst)
}

#[inline]
pub unsafe extern "C" fn checked_TupleBuilder_Build(_ctx: *mut HPyContext, builder: HPyTupleBuilder) -> HPy {
    build_checked::<Tuple>(builder._tup)
}
