//! MRP master data and demand as CSV: imports of BOMs, routings and planning data (demand's
//! import lives with demand), and exports of all four in the columns their imports read, so a
//! file exported, edited in a spreadsheet and imported again means what it says.

pub mod dto;
mod export;
pub mod http;
pub mod repo;
pub mod service;
