//! Unit tests of test files.
