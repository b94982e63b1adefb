//! Documents to hand out: the coaching sheets (PDF).

pub mod pdf;
pub mod sheet;
