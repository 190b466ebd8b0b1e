//! payplan's benchmark kit: a deterministic data generator ([`gen`]), the floor
//! ([`floor`]), and helpers for the `bench-table` runner ([`proc`], [`child`]).
//! See `docs/benchmarks.md`.

pub mod child;
pub mod floor;
pub mod gen;
pub mod proc;
pub mod tables;
