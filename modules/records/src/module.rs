//! The records module's side of the module contract.

use salus_proto::Any;
use salus_sdk::module::GenesisCtx;
use salus_sdk::pagination::prefix_end;
use salus_sdk::{BlockCtx, Error, Module, MsgRouter, StateRead, StateWrite};

use crate::state::RecordRead;
use crate::{handler, keys, query, Genesis, RecordsMsg, NAME};

pub struct RecordsModule;

impl Module for RecordsModule {
    const NAME: &'static str = NAME;
    const SERVICES: &'static [&'static str] = &["salus.records.v1.Query", "salus.records.v1.Msg"];

    type Msg = RecordsMsg;
    type Genesis = Genesis;
    type DecodeLimits = ();

    fn type_urls() -> Vec<String> {
        RecordsMsg::type_urls()
    }

    fn decode(any: &Any, _limits: &()) -> Result<RecordsMsg, Error> {
        RecordsMsg::decode(any)
    }

    fn execute(
        state: &mut impl StateWrite,
        ctx: &BlockCtx,
        _router: &dyn MsgRouter,
        msg: &RecordsMsg,
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

    /// The next id is above every record's (one bounded read: the last record key).
    fn invariants(state: &impl StateRead) -> Result<(), Error> {
        let prefix = keys::RECORD_PREFIX;
        let last = state.range_limit_raw(prefix, prefix, &prefix_end(prefix), 1, true)?;
        if let Some((k, _)) = last.first() {
            let id = keys::parse_tail(k).ok_or_else(|| Error::internal("bad record key"))?;
            let next = state.next_record_id()?;
            if id >= next {
                return Err(Error::internal(format!("records: record {id} exists but the next id is {next}")));
            }
        }
        Ok(())
    }
}
