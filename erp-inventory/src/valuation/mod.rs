//! Valuation: moving average or FIFO per item, kept per warehouse; ABC classes by value.

pub mod abc;
pub mod engine;
