//! slice objects.

use super::dump::type_name;
use crate::errors::set_error;
use crate::handles::h2py;
use hpy_abi::*;
use pyo3_ffi as ffi;
use std::ffi::c_int;

/// CPython's PySlice_Unpack does not check that it got a slice; it raises
/// the errors of the indices itself (TypeError for a non-index, ValueError
/// for a zero step).
pub unsafe extern "C" fn ctx_Slice_Unpack(
    _ctx: *mut HPyContext,
    slice: HPy,
    start: *mut HPy_ssize_t,
    stop: *mut HPy_ssize_t,
    step: *mut HPy_ssize_t,
) -> c_int {
    let s = h2py(slice);
    if s.is_null() || ffi::PySlice_Check(s) == 0 {
        set_error(ffi::PyExc_TypeError, &format!("HPySlice_Unpack expected a slice object, not {}", type_name(s)));
        return -1;
    }
    if start.is_null() || stop.is_null() || step.is_null() {
        set_error(ffi::PyExc_SystemError, "HPySlice_Unpack: NULL output pointer");
        return -1;
    }
    ffi::PySlice_Unpack(s, start, stop, step)
}
