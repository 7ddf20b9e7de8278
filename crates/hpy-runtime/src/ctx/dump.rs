//! `_HPy_Dump`, a debugging aid, and describing objects in messages.

use crate::handles::h2py;
use hpy_abi::*;
use pyo3_ffi as ffi;
use std::ffi::CStr;
use std::io::Write;

/// The name of the type of `o` as CPython prints it in messages (`tp_name`),
/// or "NULL" for no object.
pub(crate) unsafe fn type_name(o: *mut ffi::PyObject) -> String {
    if o.is_null() {
        return "NULL".to_owned();
    }
    CStr::from_ptr((*ffi::Py_TYPE(o)).tp_name).to_string_lossy().into_owned()
}

/// `repr(o)`, or a note saying why there is none. Leaves the error
/// indicator as it found it.
#[allow(deprecated)] // PyErr_Fetch/Restore: the only pair that exists in every supported version
unsafe fn safe_repr(o: *mut ffi::PyObject) -> String {
    let (mut t, mut v, mut tb) = (std::ptr::null_mut(), std::ptr::null_mut(), std::ptr::null_mut());
    ffi::PyErr_Fetch(&mut t, &mut v, &mut tb);
    let r = ffi::PyObject_Repr(o);
    let text = if r.is_null() {
        ffi::PyErr_Clear();
        "<repr() raised an exception>".to_owned()
    } else {
        let mut size: ffi::Py_ssize_t = 0;
        let utf8 = ffi::PyUnicode_AsUTF8AndSize(r, &mut size);
        let s = if utf8.is_null() {
            ffi::PyErr_Clear();
            "<repr() is not encodable as UTF-8>".to_owned()
        } else {
            String::from_utf8_lossy(std::slice::from_raw_parts(utf8.cast::<u8>(), size as usize)).into_owned()
        };
        ffi::Py_DECREF(r);
        s
    };
    ffi::PyErr_Restore(t, v, tb);
    text
}

/// Prints the handle, the object's address, type, reference count and repr
/// to the C-level stderr (file descriptor 2).
pub unsafe extern "C" fn ctx_Dump(_ctx: *mut HPyContext, h: HPy) {
    let o = h2py(h);
    let text = if o.is_null() {
        "HPy handle 0x0: HPy_NULL\n".to_owned()
    } else {
        let t = ffi::Py_TYPE(o);
        format!(
            "HPy handle {:#x} (universal: the object's address)\n  type     : {} at {:p}\n  refcount : {}\n  repr     : {}\n",
            h._i,
            type_name(o),
            t,
            ffi::Py_REFCNT(o),
            safe_repr(o)
        )
    };
    let mut err = std::io::stderr().lock();
    let _ = err.write_all(text.as_bytes());
    let _ = err.flush();
}
