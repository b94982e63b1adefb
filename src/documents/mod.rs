//! Documents to hand out: the coaching sheets (PDF).

pub mod dsp_sheet;
pub mod pdf;
pub mod sheet;
