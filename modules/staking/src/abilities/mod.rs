//! What the staking crate offers other modules, one small trait a file.

mod voting_power;

pub use voting_power::{BondedValidator, VotingPower};
