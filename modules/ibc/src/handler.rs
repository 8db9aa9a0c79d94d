//! Runs an IBC message through ibc-rs: validation, then execution, on the message's overlay.

use ibc::core::host::types::identifiers::PortId;
use ibc::core::router::module::Module as IbcModule;
use ibc::core::router::router::Router;
use ibc::core::router::types::module::ModuleId;
use salus_sdk::{BlockCtx, Error, StateWrite};

use crate::context::IbcCtx;
use crate::error::IbcError;
use crate::msgs::{IbcMsg, GAS_PER_HEADER_SIGNATURE};
use crate::transfer_port::{self, TransferPort};

pub fn execute(state: &mut impl StateWrite, ctx: &BlockCtx, msg: &IbcMsg) -> Result<(), Error> {
    state.charge_gas(msg.header_signatures.saturating_mul(GAS_PER_HEADER_SIGNATURE), "IBC header signatures")?;
    let mut ibc = IbcCtx::new(state, ctx)?;
    // ibc-rs and the light-client verifier beneath it `expect` and compute without checks in
    // places: decode bounds what reaches them, and a panic left over fails the message (whose
    // writes are dropped with it) instead of the node. It is a function of the input alone, so
    // every validator fails it alike (overflow checks are on in every profile, Cargo.toml).
    let envelope = msg.envelope.clone();
    let run =
        std::panic::AssertUnwindSafe(|| ibc::core::entrypoint::dispatch(&mut ibc, &mut Ports::default(), envelope));
    match std::panic::catch_unwind(run) {
        Ok(result) => result.map_err(|e| IbcError::of(&e)),
        Err(_) => Err(IbcError::Client.with(format!("{}: the IBC handler refused this input", msg.type_url))),
    }
}

/// The modules bound to IBC ports: ICS-20's `transfer`.
#[derive(Default)]
struct Ports {
    transfer: TransferPort,
}

impl Router for Ports {
    fn get_route(&self, module_id: &ModuleId) -> Option<&dyn IbcModule> {
        (module_id.to_string() == transfer_port::PORT).then_some(&self.transfer as &dyn IbcModule)
    }

    fn get_route_mut(&mut self, module_id: &ModuleId) -> Option<&mut dyn IbcModule> {
        (module_id.to_string() == transfer_port::PORT).then_some(&mut self.transfer as &mut dyn IbcModule)
    }

    fn lookup_module(&self, port_id: &PortId) -> Option<ModuleId> {
        (port_id.as_str() == transfer_port::PORT).then(|| ModuleId::new(transfer_port::PORT.to_string()))
    }
}
