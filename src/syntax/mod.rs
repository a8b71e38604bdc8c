//! Parsing: policy text to an owned syntax tree with spans.

pub mod ast;
mod parser;
mod unspanned;

pub use parser::{parse, recognize};

#[cfg(test)]
mod tests;
