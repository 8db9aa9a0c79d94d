//! The token module's side of the module contract.

use salus_proto::Any;
use salus_sdk::module::{GenesisCtx, ModuleAccount, Permission};
use salus_sdk::{Address, BlockCtx, Error, Module, MsgRouter, StateRead, StateWrite};

use crate::{handler, query, Genesis, Params, TokenMsg, TokenRead, NAME};

/// The account that collects fees. Inflation is minted straight into it (x/mint's mint-then-send
/// in one step), so it holds the minter permission.
pub const FEE_COLLECTOR: ModuleAccount = ModuleAccount::new("fee_collector", &[Permission::Minter]);

pub fn fee_collector() -> Address {
    FEE_COLLECTOR.address()
}

pub struct TokenModule;

impl Module for TokenModule {
    const NAME: &'static str = NAME;
    const SERVICES: &'static [&'static str] =
        &["cosmos.bank.v1beta1.Query", "cosmos.bank.v1beta1.Msg", "salus.token.v1.Msg"];

    type Msg = TokenMsg;
    type Genesis = Genesis;
    /// The transfer size caps, checked right after protobuf decoding.
    type DecodeLimits = Params;

    fn type_urls() -> Vec<String> {
        TokenMsg::type_urls()
    }

    fn decode(any: &Any, limits: &Params) -> Result<TokenMsg, Error> {
        TokenMsg::decode(any, limits)
    }

    fn decode_limits(state: &impl StateRead) -> Result<Params, Error> {
        state.params()
    }

    fn execute(
        state: &mut impl StateWrite,
        _ctx: &BlockCtx,
        _router: &dyn MsgRouter,
        msg: &TokenMsg,
    ) -> Result<(), Error> {
        handler::execute(state, msg)
    }

    fn validate_genesis(genesis: &Genesis) -> Result<(), Error> {
        genesis.validate()
    }

    fn init_genesis(state: &mut impl StateWrite, ctx: &GenesisCtx, genesis: &Genesis) -> Result<(), Error> {
        let blocked: Vec<Address> = ctx.module_accounts.iter().map(ModuleAccount::address).collect();
        genesis.init(state, &blocked)
    }

    fn export_genesis(state: &impl StateRead) -> Result<Genesis, Error> {
        Genesis::export(state)
    }

    fn query(state: &impl StateRead, path: &str, request: &[u8]) -> Option<Result<Vec<u8>, Error>> {
        query::handle(state, path, request)
    }

    fn module_accounts() -> Vec<ModuleAccount> {
        vec![FEE_COLLECTOR]
    }
}
