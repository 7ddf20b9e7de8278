//! The model of the HPy API, read from `api/hpy_api.h`.
//!
//! The header is run through gcc's preprocessor and parsed by `lang-c`; the
//! `HPyAPI_*` markers arrive as GNU attributes on each declaration, and doc
//! comments are matched to declarations by source line (the preprocessor
//! drops comments, its line markers keep the positions).

mod ctype;
mod docs;
mod parse;

pub use ctype::CType;

use std::collections::HashSet;
use std::path::Path;

/// Number of header fields (`name`, `_private`, `abi_version`) before slot 0.
pub const CONTEXT_HEADER_FIELDS: usize = 3;

/// The whole API: every context member, ordered by slot.
#[derive(Debug, Clone)]
pub struct Api {
    pub members: Vec<Member>,
}

/// One member of `HPyContext`.
#[derive(Debug, Clone)]
pub struct Member {
    pub slot: usize,
    pub doc: String,
    /// Line in `hpy_api.h`, for error messages and doc links.
    pub line: usize,
    /// The `HPyAPI_CPY` expression: the Python.h function (or object) this
    /// member is in the cpython ABI.
    pub cpython: Option<String>,
    pub kind: MemberKind,
}

#[derive(Debug, Clone)]
pub enum MemberKind {
    /// A handle constant such as `h_None`.
    Handle { name: String },
    Function(Function),
}

#[derive(Debug, Clone)]
pub struct Function {
    /// The name C code calls: `HPyLong_FromInt32_t`.
    pub public_name: String,
    /// The context member without its `ctx_` prefix: `Long_FromInt32_t`.
    pub ctx_name: String,
    pub result: CType,
    /// Parameters after the leading `HPyContext *ctx`.
    pub params: Vec<Param>,
    /// The universal-ABI public function is written by hand.
    pub manual_trampoline: bool,
    /// The context member returns void, the public function `HPy_NULL`.
    pub returns_null_handle: bool,
}

impl Function {
    /// The result type C code sees.
    pub fn public_result(&self) -> CType {
        if self.returns_null_handle {
            CType::Named("HPy".into())
        } else {
            self.result.clone()
        }
    }
}

#[derive(Debug, Clone)]
pub struct Param {
    pub name: String,
    pub ty: CType,
}

impl Member {
    /// The field name in `struct _HPyContext_s`.
    pub fn field_name(&self) -> String {
        match &self.kind {
            MemberKind::Handle { name } => name.clone(),
            MemberKind::Function(f) => format!("ctx_{}", f.ctx_name),
        }
    }

    pub fn function(&self) -> Option<&Function> {
        match &self.kind {
            MemberKind::Function(f) => Some(f),
            MemberKind::Handle { .. } => None,
        }
    }
}

impl Api {
    /// Read and validate the API header.
    pub fn load(path: &Path) -> Result<Api, String> {
        let api = parse::parse_api(path)?;
        api.validate()?;
        Ok(api)
    }

    pub fn handles(&self) -> impl Iterator<Item = &Member> {
        self.members.iter().filter(|m| m.function().is_none())
    }

    pub fn functions(&self) -> impl Iterator<Item = (&Member, &Function)> {
        self.members.iter().filter_map(|m| m.function().map(|f| (m, f)))
    }

    fn validate(&self) -> Result<(), String> {
        let mut names = HashSet::new();
        for (i, m) in self.members.iter().enumerate() {
            if m.slot != i {
                return Err(format!(
                    "line {}: slot {} where slot {} was expected (slots must be contiguous from 0)",
                    m.line, m.slot, i
                ));
            }
            if !names.insert(m.field_name()) {
                return Err(format!("line {}: {} declared twice", m.line, m.field_name()));
            }
            if m.doc.trim().is_empty() {
                return Err(format!("line {}: {} has no doc comment", m.line, m.field_name()));
            }
        }
        Ok(())
    }
}

/// `HPyLong_FromInt32_t` -> `Long_FromInt32_t`, `_HPy_New` -> `New`.
pub fn ctx_name_of(public_name: &str) -> String {
    let s = public_name.strip_prefix('_').unwrap_or(public_name);
    let s = s.strip_prefix("HPy").unwrap_or(s);
    s.strip_prefix('_').unwrap_or(s).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ctx_names() {
        assert_eq!(ctx_name_of("HPy_Dup"), "Dup");
        assert_eq!(ctx_name_of("HPyLong_FromInt32_t"), "Long_FromInt32_t");
        assert_eq!(ctx_name_of("_HPy_New"), "New");
        assert_eq!(ctx_name_of("_HPy_CallRealFunctionFromTrampoline"), "CallRealFunctionFromTrampoline");
    }

    #[test]
    fn the_real_header_is_complete() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../api/hpy_api.h");
        let api = Api::load(&path).expect("api/hpy_api.h parses and validates");
        assert_eq!(api.members.len(), 263);
        assert_eq!(api.handles().count(), 83);
        assert_eq!(api.functions().count(), 180);
        // Spot checks of the hpy0 layout: the first function and a late handle.
        assert_eq!(api.members[77].field_name(), "ctx_Dup");
        assert_eq!(api.members[243].field_name(), "h_Builtins");
        let as_utf8 = api.functions().find(|(_, f)| f.public_name == "HPyUnicode_AsUTF8AndSize").unwrap().1;
        assert_eq!(as_utf8.result.to_c(""), "const char *");
        assert_eq!(as_utf8.params[1].ty.to_c("size"), "HPy_ssize_t *size");
        let new = api.functions().find(|(_, f)| f.ctx_name == "New").unwrap().1;
        assert_eq!(new.public_name, "_HPy_New");
        assert!(new.manual_trampoline);
        assert_eq!(new.params[1].ty.to_rust(), "*mut *mut c_void");
    }
}
