//! The one universal context of this interpreter.

use crate::autogen::ctx_table::new_universal_context;
use hpy_abi::HPyContext;

static mut UNIVERSAL: *mut HPyContext = std::ptr::null_mut();

/// The universal context, created on first use. Needs the GIL, which also
/// guards the static.
pub unsafe fn universal_context() -> *mut HPyContext {
    let slot = &mut *std::ptr::addr_of_mut!(UNIVERSAL);
    if slot.is_null() {
        *slot = Box::into_raw(Box::new(new_universal_context(c"HPy Universal ABI (hpy-rs)".as_ptr())));
    }
    *slot
}
