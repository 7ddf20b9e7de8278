//! The context functions of the universal ABI, one file per area of the API.
//! hpy-codegen finds every `pub extern "C" fn ctx_*` here by parsing these
//! files and wires it into the slot table.

mod call;
mod containers;
mod err;
mod legacy;
mod number;
mod object;
mod scalars;
mod text;
mod trampoline;

pub use call::*;
pub use containers::*;
pub use err::*;
pub use legacy::*;
pub use number::*;
pub use object::*;
pub use scalars::*;
pub use text::*;
pub use trampoline::*;

use hpy_abi::HPy;
use pyo3_ffi as ffi;

/// `ctx->h_Builtins`: the `builtins` module, kept alive by the context.
pub unsafe fn handle_h_Builtins() -> HPy {
    crate::handles::py2h(ffi::PyImport_ImportModule(c"builtins".as_ptr()))
}
