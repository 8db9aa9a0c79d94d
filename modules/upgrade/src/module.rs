//! The upgrade module's side of the module contract. It has no block hook of its own: the
//! node checks the plan before every block, since stopping is the node's decision.

use salus_proto::Any;
use salus_sdk::module::GenesisCtx;
use salus_sdk::{BlockCtx, Error, Module, MsgRouter, StateRead, StateWrite};

use crate::{handler, query, Genesis, UpgradeMsg, NAME};

pub struct UpgradeModule;

impl Module for UpgradeModule {
    const NAME: &'static str = NAME;
    const SERVICES: &'static [&'static str] = &["cosmos.upgrade.v1beta1.Query", "cosmos.upgrade.v1beta1.Msg"];

    type Msg = UpgradeMsg;
    type Genesis = Genesis;
    type DecodeLimits = ();

    fn type_urls() -> Vec<String> {
        UpgradeMsg::type_urls()
    }

    fn decode(any: &Any, _limits: &()) -> Result<UpgradeMsg, Error> {
        UpgradeMsg::decode(any)
    }

    fn execute(
        state: &mut impl StateWrite,
        ctx: &BlockCtx,
        _router: &dyn MsgRouter,
        msg: &UpgradeMsg,
    ) -> Result<(), Error> {
        handler::execute(state, ctx, msg)
    }

    fn validate_genesis(genesis: &Genesis) -> Result<(), Error> {
        genesis.validate()
    }

    fn init_genesis(state: &mut impl StateWrite, _ctx: &GenesisCtx, genesis: &Genesis) -> Result<(), Error> {
        genesis.init(state)
    }

    fn export_genesis(state: &impl StateRead) -> Result<Genesis, Error> {
        Genesis::export(state)
    }

    fn query(state: &impl StateRead, path: &str, request: &[u8]) -> Option<Result<Vec<u8>, Error>> {
        query::handle(state, path, request)
    }
}
