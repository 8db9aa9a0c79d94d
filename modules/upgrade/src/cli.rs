//! `salusd query upgrade ...` and `salusd tx upgrade software-upgrade`.

use salus_sdk::cli::ModuleCli;

use crate::UpgradeModule;

impl ModuleCli for UpgradeModule {}
