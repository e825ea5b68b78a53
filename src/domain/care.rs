//! The care cycle (issue 14; API.md, "The care cycle"): screening, assessment, the support
//! plan, transition and what comes due. Pure rules; the store records and the API exposes them.

pub mod assessment;
pub mod contact_age;
pub mod due;
pub mod intake;
pub mod plan;
pub mod screening;
pub mod transition;
