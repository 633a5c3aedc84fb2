//! Account checks: leavers, unused, privileged without MFA, shared, old passwords.

pub mod leaver_enabled;
pub mod password_old;
pub mod privileged_no_mfa;
pub mod shared;
pub mod stale;
