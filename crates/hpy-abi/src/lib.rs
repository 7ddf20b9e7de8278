//! `#[repr(C)]` twins of the public C types of HPy's `hpy0` ABI.
//!
//! Names follow the C spelling on purpose: the generated `HPyContext`
//! (`autogen/context.rs`) refers to these types by their C names, and the
//! layout test compares each of them field by field with a C compiler.
#![allow(non_camel_case_types, non_snake_case, non_upper_case_globals)]

mod autogen;
mod buffer;
mod def;
mod handles;
mod module;
mod trampoline_args;
mod typespec;

pub use autogen::context::HPyContext;
pub use buffer::*;
pub use def::*;
pub use handles::*;
pub use module::*;
pub use trampoline_args::*;
pub use typespec::*;

/// The ABI version this crate describes: `hpy0`, minor 0.
pub const HPY_ABI_VERSION: u32 = 0;
pub const HPY_ABI_VERSION_MINOR: u32 = 0;
pub const HPY_ABI_TAG: &str = "hpy0";

#[cfg(test)]
mod tests {
    /// Prints the layout facts for tests/test_abi_layout.py, which compares
    /// them with what a C compiler says about the headers.
    #[test]
    fn print_layout() {
        let lines = crate::autogen::layout::layout_lines();
        assert_eq!(lines.iter().filter(|l| l.starts_with("HPyContext.")).count(), 3 + 263);
        for l in lines {
            println!("{l}");
        }
    }
}
