//! BCP checks: a plan for each system with patient data, reviewed and exercised within a year,
//! with a target restore time the last restore drill actually met.

pub mod missing;
pub mod no_exercise;
pub mod rto_undefined;
pub mod rto_unrealistic;
pub mod stale;

use mamori_model::backup::{BcpPlan, names_patient_data};
use mamori_model::site::Site;

use crate::backup::{System, resolve};

/// The plan's system, resolved against the 機器台帳.
pub(crate) fn system_of<'a>(site: &'a Site, plan: &BcpPlan) -> System<'a> {
    resolve(site, &plan.system)
}

/// Whether the plan's system holds patient data (by its name, or the device it names).
pub(crate) fn holds_patient_data(site: &Site, plan: &BcpPlan) -> bool {
    names_patient_data(&plan.system)
        || crate::backup::patient_data_assets(site).any(|a| crate::backup::covers(&plan.system, a))
}
