//! `salusd tx gov ...` and `salusd query gov ...`.

use salus_sdk::cli::ModuleCli;

use crate::GovModule;

impl ModuleCli for GovModule {}
