//! Just enough XML writing for Metadata API source files: elements in the order given, text
//! escaped, four-space indentation as Salesforce's own retrieves use.

use crate::html::escape;

pub const NAMESPACE: &str = "http://soap.sforce.com/2006/04/metadata";

/// One element: a text value, or nested elements.
pub enum Node {
    Text(&'static str, String),
    Nested(&'static str, Vec<Node>),
}

pub fn text(name: &'static str, value: impl Into<String>) -> Node {
    Node::Text(name, value.into())
}

pub fn flag(name: &'static str, value: bool) -> Node {
    Node::Text(name, value.to_string())
}

/// A whole file: declaration, root with the metadata namespace, children.
pub fn document(root: &str, children: &[Node]) -> String {
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    out.push_str(&format!("<{root} xmlns=\"{NAMESPACE}\">\n"));
    for child in children {
        write_node(&mut out, child, 1);
    }
    out.push_str(&format!("</{root}>\n"));
    out
}

fn write_node(out: &mut String, node: &Node, depth: usize) {
    let indent = "    ".repeat(depth);
    match node {
        Node::Text(name, value) => {
            out.push_str(&format!("{indent}<{name}>{}</{name}>\n", escape(value)))
        }
        Node::Nested(name, children) => {
            out.push_str(&format!("{indent}<{name}>\n"));
            for child in children {
                write_node(out, child, depth + 1);
            }
            out.push_str(&format!("{indent}</{name}>\n"));
        }
    }
}
