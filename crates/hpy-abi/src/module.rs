//! `HPyModuleDef`: what `HPyInit_<name>` returns.

use crate::{HPyDef, HPyGlobal, HPy_ssize_t};
use std::ffi::{c_char, c_void};

#[repr(C)]
pub struct HPyModuleDef {
    pub doc: *const c_char,
    pub size: HPy_ssize_t,
    /// `PyMethodDef *`, NULL-terminated; only allowed in hybrid modules.
    pub legacy_methods: *mut c_void,
    /// NULL-terminated.
    pub defines: *mut *mut HPyDef,
    /// NULL-terminated.
    pub globals: *mut *mut HPyGlobal,
}

/// Slot numbers of `HPyDef_SLOT` entries that only modules use.
pub const HPy_mod_create: crate::HPySlot_Slot = 2000;
pub const HPy_mod_exec: crate::HPySlot_Slot = 2001;
