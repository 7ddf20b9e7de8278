//! `HPyField`: a reference from inside an object's struct to another object.
//! In universal mode a field holds the `PyObject *` itself and owns a strong
//! reference to it; the object's `HPy_tp_traverse` shows it to the garbage
//! collector, and the runtime's `tp_dealloc` releases it.

use crate::handles::{h2py, py2h};
use crate::instance::field_object;
use hpy_abi::*;
use pyo3_ffi as ffi;

/// The previous value is released only after the new one is in place, so
/// that its destructor never sees a field pointing to a dead object.
pub unsafe extern "C" fn ctx_Field_Store(_ctx: *mut HPyContext, _target_object: HPy, target_field: *mut HPyField, h: HPy) {
    let new = h2py(h);
    ffi::Py_XINCREF(new);
    let old = field_object(*target_field);
    (*target_field)._i = new as isize;
    ffi::Py_XDECREF(old);
}

pub unsafe extern "C" fn ctx_Field_Load(_ctx: *mut HPyContext, _source_object: HPy, source_field: HPyField) -> HPy {
    let o = field_object(source_field);
    ffi::Py_XINCREF(o);
    py2h(o)
}
