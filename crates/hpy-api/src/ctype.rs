//! C types as they appear in the API: a base type name under pointers.

/// A type of a parameter, a result or a context member.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CType {
    /// `void`: only as a result, or under a pointer.
    Void,
    /// A named type: a C builtin (`int`, `char`, `double`) or a typedef
    /// (`HPy`, `HPy_ssize_t`, `int32_t`, ...).
    Named(String),
    /// A pointer; `to_const` is true for `const T *`.
    Pointer { to: Box<CType>, to_const: bool },
}

impl CType {
    pub fn is_void(&self) -> bool {
        matches!(self, CType::Void)
    }

    pub fn is_handle(&self) -> bool {
        matches!(self, CType::Named(n) if n == "HPy")
    }

    /// The C spelling, with `name` placed where the declarator goes (may be empty).
    pub fn to_c(&self, name: &str) -> String {
        match self {
            CType::Void => join_c("void", name),
            CType::Named(n) => join_c(n, name),
            CType::Pointer { to, to_const } => {
                let inner = if name.is_empty() { "*".to_string() } else { format!("*{name}") };
                match (&**to, to_const) {
                    (CType::Pointer { .. }, _) => to.to_c(&inner),
                    (base, true) => format!("const {}", base.to_c(&inner)),
                    (base, false) => base.to_c(&inner),
                }
            }
        }
    }

    /// The Rust spelling, for code that has `hpy_abi`'s types and
    /// `std::ffi::{c_int, c_char, c_void}` in scope.
    pub fn to_rust(&self) -> String {
        match self {
            CType::Void => "()".to_string(),
            CType::Named(n) => rust_name(n).to_string(),
            CType::Pointer { to, to_const } => {
                let pointee = match &**to {
                    CType::Void => "c_void".to_string(),
                    other => other.to_rust(),
                };
                if *to_const {
                    format!("*const {pointee}")
                } else {
                    format!("*mut {pointee}")
                }
            }
        }
    }
}

fn join_c(base: &str, name: &str) -> String {
    if name.is_empty() {
        base.to_string()
    } else {
        format!("{base} {name}")
    }
}

fn rust_name(c_name: &str) -> &str {
    match c_name {
        "int" => "c_int",
        "char" => "c_char",
        "double" => "f64",
        "bool" => "bool",
        "int32_t" => "i32",
        "uint32_t" => "u32",
        "int64_t" => "i64",
        "uint64_t" => "u64",
        "size_t" => "usize",
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ptr(to: CType, to_const: bool) -> CType {
        CType::Pointer { to: Box::new(to), to_const }
    }

    #[test]
    fn c_spelling() {
        let cchar = ptr(CType::Named("char".into()), true);
        assert_eq!(cchar.to_c("name"), "const char *name");
        assert_eq!(cchar.to_c(""), "const char *");
        assert_eq!(ptr(ptr(CType::Void, false), false).to_c("data"), "void **data");
        assert_eq!(CType::Named("HPy".into()).to_c("h"), "HPy h");
    }

    #[test]
    fn rust_spelling() {
        assert_eq!(ptr(CType::Named("char".into()), true).to_rust(), "*const c_char");
        assert_eq!(ptr(ptr(CType::Void, false), false).to_rust(), "*mut *mut c_void");
        assert_eq!(CType::Named("int32_t".into()).to_rust(), "i32");
        assert_eq!(CType::Void.to_rust(), "()");
    }
}
