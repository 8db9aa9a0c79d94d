//! The DID module's side of the module contract.

use salus_proto::Any;
use salus_sdk::module::GenesisCtx;
use salus_sdk::{BlockCtx, Error, Module, MsgRouter, StateRead, StateWrite};

use crate::{handler, query, DidMsg, Genesis, NAME};

pub struct DidModule;

impl Module for DidModule {
    const NAME: &'static str = NAME;
    const SERVICES: &'static [&'static str] = &["salus.did.v1.Query", "salus.did.v1.Msg"];

    type Msg = DidMsg;
    type Genesis = Genesis;
    type DecodeLimits = ();

    fn type_urls() -> Vec<String> {
        DidMsg::type_urls()
    }

    fn decode(any: &Any, _limits: &()) -> Result<DidMsg, Error> {
        DidMsg::decode(any)
    }

    fn execute(
        state: &mut impl StateWrite,
        ctx: &BlockCtx,
        _router: &dyn MsgRouter,
        msg: &DidMsg,
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
