//! The number protocol.

use crate::handles::{h2py, py2h};
use hpy_abi::*;
use pyo3_ffi as ffi;
use std::ffi::c_int;

macro_rules! unary {
    ($($name:ident => $ffi:ident),* $(,)?) => {$(
        pub unsafe extern "C" fn $name(_ctx: *mut HPyContext, h1: HPy) -> HPy {
            py2h(ffi::$ffi(h2py(h1)))
        }
    )*};
}

macro_rules! binary {
    ($($name:ident => $ffi:ident),* $(,)?) => {$(
        pub unsafe extern "C" fn $name(_ctx: *mut HPyContext, h1: HPy, h2: HPy) -> HPy {
            py2h(ffi::$ffi(h2py(h1), h2py(h2)))
        }
    )*};
}

macro_rules! ternary {
    ($($name:ident => $ffi:ident),* $(,)?) => {$(
        pub unsafe extern "C" fn $name(_ctx: *mut HPyContext, h1: HPy, h2: HPy, h3: HPy) -> HPy {
            py2h(ffi::$ffi(h2py(h1), h2py(h2), h2py(h3)))
        }
    )*};
}

unary! {
    ctx_Negative => PyNumber_Negative,
    ctx_Positive => PyNumber_Positive,
    ctx_Absolute => PyNumber_Absolute,
    ctx_Invert => PyNumber_Invert,
    ctx_Index => PyNumber_Index,
    ctx_Long => PyNumber_Long,
    ctx_Float => PyNumber_Float,
}

binary! {
    ctx_Add => PyNumber_Add,
    ctx_Subtract => PyNumber_Subtract,
    ctx_Multiply => PyNumber_Multiply,
    ctx_MatrixMultiply => PyNumber_MatrixMultiply,
    ctx_FloorDivide => PyNumber_FloorDivide,
    ctx_TrueDivide => PyNumber_TrueDivide,
    ctx_Remainder => PyNumber_Remainder,
    ctx_Divmod => PyNumber_Divmod,
    ctx_Lshift => PyNumber_Lshift,
    ctx_Rshift => PyNumber_Rshift,
    ctx_And => PyNumber_And,
    ctx_Xor => PyNumber_Xor,
    ctx_Or => PyNumber_Or,
    ctx_InPlaceAdd => PyNumber_InPlaceAdd,
    ctx_InPlaceSubtract => PyNumber_InPlaceSubtract,
    ctx_InPlaceMultiply => PyNumber_InPlaceMultiply,
    ctx_InPlaceMatrixMultiply => PyNumber_InPlaceMatrixMultiply,
    ctx_InPlaceFloorDivide => PyNumber_InPlaceFloorDivide,
    ctx_InPlaceTrueDivide => PyNumber_InPlaceTrueDivide,
    ctx_InPlaceRemainder => PyNumber_InPlaceRemainder,
    ctx_InPlaceLshift => PyNumber_InPlaceLshift,
    ctx_InPlaceRshift => PyNumber_InPlaceRshift,
    ctx_InPlaceAnd => PyNumber_InPlaceAnd,
    ctx_InPlaceXor => PyNumber_InPlaceXor,
    ctx_InPlaceOr => PyNumber_InPlaceOr,
}

ternary! {
    ctx_Power => PyNumber_Power,
    ctx_InPlacePower => PyNumber_InPlacePower,
}

pub unsafe extern "C" fn ctx_Number_Check(_ctx: *mut HPyContext, h: HPy) -> c_int {
    ffi::PyNumber_Check(h2py(h))
}
