//! Domain rules as pure functions: no I/O, unit-tested beside the code.

pub mod roles;
pub mod staff;
pub mod team;
