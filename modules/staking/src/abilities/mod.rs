//! What the staking crate offers other modules, one small trait a file.

mod host_history;
mod voting_power;

pub use host_history::{HostHeader, HostHistory};
pub use voting_power::{BondedValidator, VotingPower};
