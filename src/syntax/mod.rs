//! Parsing: policy text to an owned syntax tree with spans.

pub mod ast;
mod parser;
mod query;
mod unspanned;

pub use parser::{parse, parse_source, recognize};
pub use query::{Node, node_at, nodes_at};

#[cfg(test)]
mod tests;
