//! From `hpy_api.h` to the model: preprocess with gcc, parse with lang-c,
//! read the `hpy_*` attributes, attach doc comments.

use crate::docs::doc_comments_by_end_line;
use crate::{ctx_name_of, Api, CType, Function, Member, MemberKind, Param};
use lang_c::ast::{
    Constant, DeclarationSpecifier, Declarator, DeclaratorKind, DerivedDeclarator, Expression,
    Extension, ExternalDeclaration, StorageClassSpecifier, TypeQualifier, TypeSpecifier,
};
use lang_c::driver::{parse, Config};
use lang_c::span::Node;
use std::path::Path;

pub fn parse_api(path: &Path) -> Result<Api, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let docs = doc_comments_by_end_line(&text);
    let parsed = parse(&Config::with_gcc(), path).map_err(|e| format!("{}: {e}", path.display()))?;
    let lines = OriginalLines::new(&parsed.source);

    let mut members = Vec::new();
    for ext in &parsed.unit.0 {
        let ExternalDeclaration::Declaration(decl) = &ext.node else { continue };
        let decl = &decl.node;
        // Typedefs and bare struct declarations are the parser's prelude.
        if decl.declarators.is_empty() || decl.specifiers.iter().any(|s| is_typedef(&s.node)) {
            continue;
        }
        let line = lines.line_of(ext.span.start);
        let at = |msg: &str| format!("{}:{line}: {msg}", path.display());
        let [init] = decl.declarators.as_slice() else {
            return Err(at("one declarator per declaration"));
        };
        let declarator = &init.node.declarator.node;
        let mut attrs = Attributes::default();
        for s in &decl.specifiers {
            if let DeclarationSpecifier::Extension(exts) = &s.node {
                attrs.read(exts).map_err(|e| at(&e))?;
            }
        }
        attrs.read(&declarator.extensions).map_err(|e| at(&e))?;
        let slot = attrs.slot.ok_or_else(|| at("missing HPyAPI_SLOT"))?;
        let base = base_type(&decl.specifiers).map_err(|e| at(&e))?;
        let name = declarator_name(declarator).ok_or_else(|| at("unnamed declaration"))?;
        let kind = match function_parts(declarator) {
            None => {
                if base != CType::Named("HPy".into()) || !declarator.derived.is_empty() {
                    return Err(at("a context member that is not a function must be `HPy h_...`"));
                }
                MemberKind::Handle { name }
            }
            Some((result_pointers, params)) => {
                let result = wrap_pointers(base, &(result_pointers, has_const(&decl.specifiers)));
                let mut params = params.map_err(|e| at(&e))?;
                let first = params.first().map(|p| p.ty.clone());
                let ctx_ptr = CType::Pointer { to: Box::new(CType::Named("HPyContext".into())), to_const: false };
                if first != Some(ctx_ptr) {
                    return Err(at("the first parameter must be `HPyContext *ctx`"));
                }
                params.remove(0);
                MemberKind::Function(Function {
                    ctx_name: ctx_name_of(&name),
                    public_name: name,
                    result,
                    params,
                    manual_trampoline: attrs.manual_trampoline,
                    returns_null_handle: attrs.returns_null_handle,
                })
            }
        };
        let doc = docs.get(&(line - 1)).cloned().unwrap_or_default();
        members.push(Member { slot, doc, line, cpython: attrs.cpython, kind });
    }
    members.sort_by_key(|m| m.slot);
    Ok(Api { members })
}

#[derive(Default)]
struct Attributes {
    slot: Option<usize>,
    cpython: Option<String>,
    manual_trampoline: bool,
    returns_null_handle: bool,
}

impl Attributes {
    fn read(&mut self, exts: &[Node<Extension>]) -> Result<(), String> {
        for ext in exts {
            let Extension::Attribute(attr) = &ext.node else { continue };
            let args = &attr.arguments;
            match attr.name.node.as_str() {
                "hpy_slot" => {
                    let [arg] = args.as_slice() else { return Err("HPyAPI_SLOT takes one number".into()) };
                    let Expression::Constant(c) = &arg.node else {
                        return Err("HPyAPI_SLOT takes a number".into());
                    };
                    let Constant::Integer(i) = &c.node else { return Err("HPyAPI_SLOT takes a number".into()) };
                    self.slot = Some(i.number.parse().map_err(|_| "bad slot number".to_string())?);
                }
                "hpy_cpython" => {
                    let [arg] = args.as_slice() else { return Err("HPyAPI_CPY takes one name".into()) };
                    let Expression::Identifier(id) = &arg.node else {
                        return Err("HPyAPI_CPY takes a Python.h name".into());
                    };
                    self.cpython = Some(id.node.name.clone());
                }
                "hpy_manual_trampoline" => self.manual_trampoline = true,
                "hpy_returns_null_handle" => self.returns_null_handle = true,
                _ => {}
            }
        }
        Ok(())
    }
}

fn is_typedef(spec: &DeclarationSpecifier) -> bool {
    matches!(spec, DeclarationSpecifier::StorageClass(s) if s.node == StorageClassSpecifier::Typedef)
}

/// The type named by the specifiers; a `const` there is returned as part of
/// the innermost pointer by `wrap_pointers`, so it is reported separately.
fn base_type(specs: &[Node<DeclarationSpecifier>]) -> Result<CType, String> {
    let mut words = Vec::new();
    for s in specs {
        if let DeclarationSpecifier::TypeSpecifier(t) = &s.node {
            words.push(match &t.node {
                TypeSpecifier::Void => "void".to_string(),
                TypeSpecifier::Char => "char".to_string(),
                TypeSpecifier::Int => "int".to_string(),
                TypeSpecifier::Double => "double".to_string(),
                TypeSpecifier::TypedefName(id) => id.node.name.clone(),
                other => return Err(format!("unsupported type {other:?}: use a typedef name")),
            });
        }
    }
    match words.as_slice() {
        [w] if w == "void" => Ok(CType::Void),
        [w] => Ok(CType::Named(w.clone())),
        _ => Err(format!("expected exactly one type name, found {words:?}")),
    }
}

fn has_const(specs: &[Node<DeclarationSpecifier>]) -> bool {
    specs
        .iter()
        .any(|s| matches!(&s.node, DeclarationSpecifier::TypeQualifier(q) if q.node == TypeQualifier::Const))
}

fn declarator_name(d: &Declarator) -> Option<String> {
    match &d.kind.node {
        DeclaratorKind::Identifier(id) => Some(id.node.name.clone()),
        _ => None,
    }
}

/// Number of pointers applied to `base`, with whether the base is const.
type Pointers = (usize, bool);

fn wrap_pointers(base: CType, &(count, base_const): &Pointers) -> CType {
    let mut ty = base;
    for i in 0..count {
        ty = CType::Pointer { to: Box::new(ty), to_const: i == 0 && base_const };
    }
    ty
}

/// For a function declarator: the pointers of its result and its parameters.
fn function_parts(d: &Declarator) -> Option<(usize, Result<Vec<Param>, String>)> {
    let pos = d.derived.iter().position(|x| matches!(x.node, DerivedDeclarator::Function(_)))?;
    let DerivedDeclarator::Function(f) = &d.derived[pos].node else { unreachable!() };
    let pointers = d.derived.iter().filter(|x| matches!(x.node, DerivedDeclarator::Pointer(_))).count();
    let params = f.node.parameters.iter().map(|p| {
        let p = &p.node;
        let base = base_type(&p.specifiers)?;
        let decl = p.declarator.as_ref().ok_or("parameters must be named")?;
        let name = declarator_name(&decl.node).ok_or("parameters must be named")?;
        // `T x[]` is `T *x` in a parameter list.
        let depth = decl
            .node
            .derived
            .iter()
            .filter(|x| matches!(x.node, DerivedDeclarator::Pointer(_) | DerivedDeclarator::Array(_)))
            .count();
        if depth == 0 && has_const(&p.specifiers) {
            return Err(format!("parameter {name}: top-level const is not part of the ABI"));
        }
        Ok(Param { name, ty: wrap_pointers(base, &(depth, has_const(&p.specifiers))) })
    });
    Some((pointers, params.collect()))
}

/// Maps byte offsets of the preprocessed text to lines of the original file,
/// following the `# <line> "<file>"` markers gcc writes.
struct OriginalLines {
    /// (offset where a preprocessed line starts, its original line number)
    starts: Vec<(usize, usize)>,
}

impl OriginalLines {
    fn new(source: &str) -> Self {
        let mut starts = Vec::new();
        let mut next_line = 1;
        let mut offset = 0;
        for raw in source.split_inclusive('\n') {
            let marker = raw
                .strip_prefix("# ")
                .and_then(|r| r.split_whitespace().next())
                .and_then(|n| n.parse::<usize>().ok());
            match marker {
                Some(n) => next_line = n,
                None => {
                    starts.push((offset, next_line));
                    next_line += 1;
                }
            }
            offset += raw.len();
        }
        OriginalLines { starts }
    }

    fn line_of(&self, offset: usize) -> usize {
        let i = self.starts.partition_point(|&(start, _)| start <= offset);
        self.starts[i.saturating_sub(1)].1
    }
}
