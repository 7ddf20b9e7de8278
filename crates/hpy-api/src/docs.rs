//! Doc comments of the API header, located by line.
//!
//! The preprocessor removes comments, so they are read from the original
//! text: a lexical scan for `/** ... */`, not a parse of C.

use std::collections::HashMap;

/// Doc comments keyed by the 1-based line on which they end.
pub fn doc_comments_by_end_line(text: &str) -> HashMap<usize, String> {
    let mut docs = HashMap::new();
    let mut rest = text;
    let mut offset = 0;
    while let Some(start) = rest.find("/*") {
        let after = &rest[start + 2..];
        let Some(len) = after.find("*/") else { break };
        let body = &after[..len];
        let end = offset + start + 2 + len + 2;
        if let Some(doc) = body.strip_prefix('*') {
            let end_line = text[..end].matches('\n').count() + 1;
            docs.insert(end_line, clean(doc));
        }
        offset = end;
        rest = &text[end..];
    }
    docs
}

fn clean(body: &str) -> String {
    let lines: Vec<&str> = body
        .lines()
        .map(|l| {
            let t = l.trim();
            let t = t.strip_prefix('*').unwrap_or(t);
            t.strip_prefix(' ').unwrap_or(t)
        })
        .collect();
    lines.join("\n").trim().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_docs_by_end_line() {
        let text = "/* plain */\n/**\n * First line.\n * Second.\n */\nint x;\n/** One. */\n";
        let docs = doc_comments_by_end_line(text);
        assert_eq!(docs.get(&5).unwrap(), "First line.\nSecond.");
        assert_eq!(docs.get(&7).unwrap(), "One.");
        assert!(!docs.contains_key(&1), "plain comments are not docs");
    }
}
