//! The context functions of the universal ABI, one file per area of the API.
//! hpy-codegen finds every `pub extern "C" fn ctx_*` here by parsing these
//! files and wires it into the slot table.

mod builders;
mod call;
mod capsule;
mod containers;
mod contextvar;
mod dump;
mod err;
mod eval;
mod field;
mod legacy;
mod number;
mod object;
mod scalars;
mod slice;
mod text;
mod threads;
mod tracker;
mod trampoline;
mod types;

pub use builders::*;
pub use call::*;
pub use capsule::*;
pub use containers::*;
pub use contextvar::*;
pub use dump::*;
pub use err::*;
pub use eval::*;
pub use field::*;
pub use legacy::*;
pub use number::*;
pub use object::*;
pub use scalars::*;
pub use slice::*;
pub use text::*;
pub use threads::*;
pub use tracker::*;
pub use trampoline::*;
pub use types::*;

use hpy_abi::HPy;
use pyo3_ffi as ffi;

/// `ctx->h_Builtins`: the namespace of the `builtins` module, as in HPy
/// 0.9.0 (the dict, not the module), kept alive by the context.
pub unsafe fn handle_h_Builtins() -> HPy {
    let module = ffi::PyImport_ImportModule(c"builtins".as_ptr());
    if module.is_null() {
        return HPy::NULL;
    }
    let namespace = ffi::PyModule_GetDict(module);
    ffi::Py_XINCREF(namespace);
    ffi::Py_DECREF(module);
    crate::handles::py2h(namespace)
}
