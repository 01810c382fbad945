//! Valuation: moving average or FIFO per item, kept per warehouse.

pub mod engine;
