//! The consensus module's genesis section is empty: CometBFT's params come with InitChain (from
//! genesis.json's `consensus_params`) and the tx limits are genesis' `auth.params`.

use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Genesis {}
