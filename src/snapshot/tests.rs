//! Unit tests of snapshots.
