//! tuple, list and dict.

use crate::handles::{h2py, py2h};
use hpy_abi::*;
use pyo3_ffi as ffi;
use std::ffi::c_int;

pub unsafe extern "C" fn ctx_Tuple_Check(_ctx: *mut HPyContext, h: HPy) -> c_int {
    ffi::PyTuple_Check(h2py(h))
}

pub unsafe extern "C" fn ctx_Tuple_FromArray(_ctx: *mut HPyContext, items: *mut HPy, n: HPy_ssize_t) -> HPy {
    let t = ffi::PyTuple_New(n);
    if t.is_null() {
        return HPy::NULL;
    }
    for i in 0..n {
        let item = h2py(*items.offset(i));
        ffi::Py_INCREF(item);
        ffi::PyTuple_SET_ITEM(t, i, item);
    }
    py2h(t)
}

pub unsafe extern "C" fn ctx_List_Check(_ctx: *mut HPyContext, h: HPy) -> c_int {
    ffi::PyList_Check(h2py(h))
}

pub unsafe extern "C" fn ctx_List_New(_ctx: *mut HPyContext, len: HPy_ssize_t) -> HPy {
    py2h(ffi::PyList_New(len))
}

pub unsafe extern "C" fn ctx_List_Append(_ctx: *mut HPyContext, h_list: HPy, h_item: HPy) -> c_int {
    ffi::PyList_Append(h2py(h_list), h2py(h_item))
}

pub unsafe extern "C" fn ctx_Dict_Check(_ctx: *mut HPyContext, h: HPy) -> c_int {
    ffi::PyDict_Check(h2py(h))
}

pub unsafe extern "C" fn ctx_Dict_New(_ctx: *mut HPyContext) -> HPy {
    py2h(ffi::PyDict_New())
}

pub unsafe extern "C" fn ctx_Dict_Keys(_ctx: *mut HPyContext, h: HPy) -> HPy {
    py2h(ffi::PyDict_Keys(h2py(h)))
}

pub unsafe extern "C" fn ctx_Dict_Copy(_ctx: *mut HPyContext, h: HPy) -> HPy {
    py2h(ffi::PyDict_Copy(h2py(h)))
}
