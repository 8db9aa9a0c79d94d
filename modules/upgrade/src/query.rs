//! `cosmos.upgrade.v1beta1.Query`: the current plan, when a plan ran, and the authority.

use prost::Message;
use salus_proto::cosmos::upgrade::v1beta1 as proto;
use salus_sdk::module::{decode_request, governance_authority};
use salus_sdk::{Error, SdkCode, StateRead};

use crate::state::UpgradeRead;

pub fn handle(state: &impl StateRead, path: &str, req: &[u8]) -> Option<Result<Vec<u8>, Error>> {
    let method = path.strip_prefix("/cosmos.upgrade.v1beta1.Query/")?;
    Some(answer(state, method, req))
}

fn answer(state: &impl StateRead, method: &str, req: &[u8]) -> Result<Vec<u8>, Error> {
    Ok(match method {
        "CurrentPlan" => {
            proto::QueryCurrentPlanResponse { plan: state.upgrade_plan()?.map(|p| p.to_proto()) }.encode_to_vec()
        }
        "AppliedPlan" => {
            let r: proto::QueryAppliedPlanRequest = decode_request(req)?;
            // Cosmos answers 0 for a plan that never ran.
            let height = state.applied_height(&r.name)?.unwrap_or(0);
            proto::QueryAppliedPlanResponse { height: height.min(i64::MAX as u64) as i64 }.encode_to_vec()
        }
        "Authority" => proto::QueryAuthorityResponse { address: governance_authority().to_string() }.encode_to_vec(),
        other => {
            return Err(Error::sdk(
                SdkCode::UnknownRequest,
                format!("the upgrade module does not serve {other}: ask CurrentPlan, AppliedPlan or Authority"),
            ))
        }
    })
}
