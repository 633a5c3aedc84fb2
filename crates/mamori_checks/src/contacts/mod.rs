//! Emergency contact checks: the roles the notices say to call, and whether each number was
//! verified recently.

pub mod missing_role;
pub mod unverified;
