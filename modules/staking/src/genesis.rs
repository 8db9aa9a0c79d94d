//! Genesis sections `staking`, `slashing` and `distribution`: their parameters. Validators join at
//! genesis through gentxs (the node's `genutil` section), as in Cosmos.

use salus_sdk::{Error, StateWrite};
use serde::{Deserialize, Serialize};

use crate::params::{DistributionParams, SlashingParams, StakingParams};
use crate::state::StakingWrite;

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StakingGenesis {
    #[serde(default)]
    pub params: StakingParams,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SlashingGenesis {
    #[serde(default)]
    pub params: SlashingParams,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DistributionGenesis {
    #[serde(default)]
    pub params: DistributionParams,
}

pub fn validate(s: &StakingGenesis, sl: &SlashingGenesis, d: &DistributionGenesis) -> Result<(), Error> {
    s.params.validate()?;
    sl.params.validate()?;
    d.params.validate()
}

pub fn init(
    state: &mut impl StateWrite,
    s: &StakingGenesis,
    sl: &SlashingGenesis,
    d: &DistributionGenesis,
) -> Result<(), Error> {
    validate(s, sl, d)?;
    state.set_staking_params(&s.params)?;
    state.set_slashing_params(&sl.params)?;
    state.set_distribution_params(&d.params)
}
