//! Checks of the ledgers themselves: what the clinic wrote it does not know.

pub mod unknown_value;
