//! Releasing and taking back the GIL.

use hpy_abi::*;
use pyo3_ffi as ffi;

/// The returned state is CPython's `PyThreadState *`.
pub unsafe extern "C" fn ctx_LeavePythonExecution(_ctx: *mut HPyContext) -> HPyThreadState {
    HPyThreadState { _i: ffi::PyEval_SaveThread() as isize }
}

pub unsafe extern "C" fn ctx_ReenterPythonExecution(_ctx: *mut HPyContext, state: HPyThreadState) {
    ffi::PyEval_RestoreThread(state._i as *mut ffi::PyThreadState);
}
