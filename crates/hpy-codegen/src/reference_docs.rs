//! The API reference, one page generated from the header's doc comments.

use crate::{comment_banner, Output};
use hpy_api::{Api, MemberKind};
use std::fmt::Write;

pub fn outputs(api: &Api) -> Vec<Output> {
    vec![Output { path: "docs/api-reference.md", text: reference(api) }]
}

fn reference(api: &Api) -> String {
    let mut s = comment_banner("<!--", " -->");
    s.push_str("# HPy API reference\n\n");
    s.push_str(
        "Every member of `HPyContext`, in slot order, as declared in `api/hpy_api.h`. \
         Functions are called by their public name with the context as first argument; \
         handles are read as `ctx->h_Name`. A **cpython ABI** entry names the Python.h \
         function the call compiles to in the cpython ABI; others are written by hand \
         (`hpy/cpython/api_manual.h`).\n\n",
    );
    let functions = api.functions().count();
    writeln!(s, "{} members: {} handles and {functions} functions.\n", api.members.len(), api.handles().count()).unwrap();
    s.push_str("## Handles\n\n| slot | handle | meaning |\n|---|---|---|\n");
    for m in api.handles() {
        let MemberKind::Handle { name } = &m.kind else { continue };
        writeln!(s, "| {} | `ctx->{name}` | {} |", m.slot, m.doc.replace('\n', " ")).unwrap();
    }
    s.push_str("\n## Functions\n\n");
    for (m, f) in api.functions() {
        let params: Vec<String> = std::iter::once("HPyContext *ctx".to_string())
            .chain(f.params.iter().map(|p| p.ty.to_c(&p.name)))
            .collect();
        let sig = f.public_result().to_c(&format!("{}({})", f.public_name, params.join(", ")));
        writeln!(s, "### `{}`\n\n```c\n{sig};\n```\n", f.public_name).unwrap();
        writeln!(s, "{}\n", m.doc).unwrap();
        let cpy = m.cpython.as_deref().map(|c| format!("`{c}`")).unwrap_or_else(|| "hand-written".into());
        writeln!(s, "*Slot {}, context member `ctx_{}`; cpython ABI: {cpy}.*\n", m.slot, f.ctx_name).unwrap();
    }
    s
}
