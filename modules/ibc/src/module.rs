//! The IBC module's side of the module contract. It keeps no params yet (ibc-go's defaults:
//! 07-tendermint clients only, 30 s expected per block) and has no block hook: the host
//! history it proves from is staking's historical record.

use salus_proto::Any;
use salus_sdk::module::GenesisCtx;
use salus_sdk::{BlockCtx, Error, Module, MsgRouter, StateRead, StateWrite};

use crate::{handler, query, Genesis, IbcMsg, NAME};

pub struct IbcModule;

impl Module for IbcModule {
    const NAME: &'static str = NAME;
    const SERVICES: &'static [&'static str] = &[
        "ibc.core.client.v1.Query",
        "ibc.core.client.v1.Msg",
        "ibc.core.connection.v1.Query",
        "ibc.core.connection.v1.Msg",
        "ibc.core.channel.v1.Query",
        "ibc.core.channel.v1.Msg",
    ];

    type Msg = IbcMsg;
    type Genesis = Genesis;
    type DecodeLimits = ();

    fn type_urls() -> Vec<String> {
        IbcMsg::type_urls()
    }

    fn decode(any: &Any, _limits: &()) -> Result<IbcMsg, Error> {
        IbcMsg::decode(any)
    }

    fn execute(
        state: &mut impl StateWrite,
        ctx: &BlockCtx,
        _router: &dyn MsgRouter,
        msg: &IbcMsg,
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
