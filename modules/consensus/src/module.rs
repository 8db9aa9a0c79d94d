//! The consensus module's side of the module contract.

use salus_proto::Any;
use salus_sdk::module::GenesisCtx;
use salus_sdk::{BlockCtx, Error, Module, MsgRouter, StateRead, StateWrite};

use crate::{handler, query, ConsensusMsg, Genesis, NAME};

pub struct ConsensusModule;

impl Module for ConsensusModule {
    const NAME: &'static str = NAME;
    const SERVICES: &'static [&'static str] =
        &["cosmos.consensus.v1.Query", "cosmos.consensus.v1.Msg", "salus.auth.v1.Query", "salus.auth.v1.Msg"];

    type Msg = ConsensusMsg;
    type Genesis = Genesis;
    type DecodeLimits = ();

    fn type_urls() -> Vec<String> {
        ConsensusMsg::type_urls()
    }

    fn decode(any: &Any, _limits: &()) -> Result<ConsensusMsg, Error> {
        ConsensusMsg::decode(any)
    }

    fn execute(
        state: &mut impl StateWrite,
        _ctx: &BlockCtx,
        _router: &dyn MsgRouter,
        msg: &ConsensusMsg,
    ) -> Result<(), Error> {
        handler::execute(state, msg)
    }

    fn validate_genesis(_genesis: &Genesis) -> Result<(), Error> {
        Ok(())
    }

    fn init_genesis(_state: &mut impl StateWrite, _ctx: &GenesisCtx, _genesis: &Genesis) -> Result<(), Error> {
        Ok(())
    }

    fn export_genesis(_state: &impl StateRead) -> Result<Genesis, Error> {
        Ok(Genesis {})
    }

    fn query(state: &impl StateRead, path: &str, request: &[u8]) -> Option<Result<Vec<u8>, Error>> {
        query::handle(state, path, request)
    }
}
