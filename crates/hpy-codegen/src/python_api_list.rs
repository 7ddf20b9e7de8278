//! The list of context members for Python tools (the API coverage table).

use crate::{banner, Output};
use hpy_api::{Api, MemberKind};
use std::fmt::Write;

pub fn outputs(api: &Api) -> Vec<Output> {
    let mut s = banner("#");
    s.push_str("# (slot, context member, public name): public name is None for handles.\nMEMBERS = [\n");
    for m in &api.members {
        let public = match &m.kind {
            MemberKind::Handle { .. } => "None".to_string(),
            MemberKind::Function(f) => format!("{:?}", f.public_name),
        };
        writeln!(s, "    ({}, {:?}, {public}),", m.slot, m.field_name()).unwrap();
    }
    s.push_str("]\n");
    vec![Output { path: "tests/support/autogen_api.py", text: s }]
}
