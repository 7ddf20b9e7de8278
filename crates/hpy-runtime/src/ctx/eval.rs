//! Compiling and running Python source.

use super::dump::type_name;
use crate::errors::set_error;
use crate::handles::{h2py, py2h};
use hpy_abi::*;
use pyo3_ffi as ffi;
use std::ffi::c_char;

/// CPython's start symbol for each HPy_SourceKind.
fn start_symbol(kind: HPy_SourceKind) -> Option<std::ffi::c_int> {
    match kind {
        HPy_SourceKind_Expr => Some(ffi::Py_eval_input),
        HPy_SourceKind_File => Some(ffi::Py_file_input),
        HPy_SourceKind_Single => Some(ffi::Py_single_input),
        _ => None,
    }
}

pub unsafe extern "C" fn ctx_Compile_s(_ctx: *mut HPyContext, utf8_source: *const c_char, utf8_filename: *const c_char, kind: HPy_SourceKind) -> HPy {
    let Some(start) = start_symbol(kind) else {
        set_error(ffi::PyExc_SystemError, &format!("HPy_Compile_s: invalid source kind {kind}"));
        return HPy::NULL;
    };
    if utf8_source.is_null() || utf8_filename.is_null() {
        set_error(ffi::PyExc_SystemError, "HPy_Compile_s: NULL source or file name");
        return HPy::NULL;
    }
    py2h(ffi::Py_CompileString(utf8_source, utf8_filename, start))
}

/// The number of free variables of the code object `code`, None on error.
unsafe fn free_variable_count(code: *mut ffi::PyObject) -> Option<ffi::Py_ssize_t> {
    let names = ffi::PyObject_GetAttrString(code, c"co_freevars".as_ptr());
    if names.is_null() {
        return None;
    }
    let n = ffi::PyObject_Size(names);
    ffi::Py_DECREF(names);
    (n >= 0).then_some(n)
}

/// PyEval_EvalCode trusts its arguments; they are checked here the way
/// Python's `exec()` checks them (TypeError), since a wrong one would crash
/// the interpreter.
pub unsafe extern "C" fn ctx_EvalCode(_ctx: *mut HPyContext, code: HPy, globals: HPy, locals: HPy) -> HPy {
    let (c, g, l) = (h2py(code), h2py(globals), h2py(locals));
    if c.is_null() || ffi::PyCode_Check(c) == 0 {
        set_error(ffi::PyExc_TypeError, &format!("HPy_EvalCode() arg 1 must be a code object, not {}", type_name(c)));
        return HPy::NULL;
    }
    if g.is_null() || ffi::PyDict_Check(g) == 0 {
        set_error(ffi::PyExc_TypeError, &format!("HPy_EvalCode() globals must be a dict, not {}", type_name(g)));
        return HPy::NULL;
    }
    if !l.is_null() && ffi::PyMapping_Check(l) == 0 {
        set_error(ffi::PyExc_TypeError, &format!("locals must be a mapping, not {}", type_name(l)));
        return HPy::NULL;
    }
    match free_variable_count(c) {
        None => return HPy::NULL,
        Some(0) => {}
        Some(_) => {
            set_error(ffi::PyExc_TypeError, "code object passed to HPy_EvalCode() may not contain free variables");
            return HPy::NULL;
        }
    }
    // NULL locals: CPython uses the globals.
    py2h(ffi::PyEval_EvalCode(c, g, l))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn source_kinds() {
        assert_eq!(start_symbol(HPy_SourceKind_Expr), Some(258));
        assert_eq!(start_symbol(HPy_SourceKind_File), Some(257));
        assert_eq!(start_symbol(HPy_SourceKind_Single), Some(256));
        assert_eq!(start_symbol(3), None);
        assert_eq!(start_symbol(-1), None);
    }
}
