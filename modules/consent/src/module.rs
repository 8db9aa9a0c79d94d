//! The consent module's side of the module contract.

use salus_proto::Any;
use salus_sdk::module::GenesisCtx;
use salus_sdk::{BlockCtx, Error, Module, MsgRouter, StateRead, StateReadExt, StateWrite};

use crate::state::ConsentRead;
use crate::types::{Consent, Status};
use crate::{handler, keys, query, ConsentMsg, Genesis, NAME};

pub struct ConsentModule;

impl Module for ConsentModule {
    const NAME: &'static str = NAME;
    const SERVICES: &'static [&'static str] = &["salus.consent.v1.Query", "salus.consent.v1.Msg"];

    type Msg = ConsentMsg;
    type Genesis = Genesis;
    type DecodeLimits = ();

    fn type_urls() -> Vec<String> {
        ConsentMsg::type_urls()
    }

    fn decode(any: &Any, _limits: &()) -> Result<ConsentMsg, Error> {
        ConsentMsg::decode(any)
    }

    fn execute(
        state: &mut impl StateWrite,
        ctx: &BlockCtx,
        _router: &dyn MsgRouter,
        msg: &ConsentMsg,
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

    /// Every consent's latest version is where its index says, and the subject index lists
    /// exactly the draft and active ones.
    fn invariants(state: &impl StateRead) -> Result<(), Error> {
        let broken = |m: String| Error::internal(format!("consent invariant: {m}"));
        let next = state.next_consent_id()?;
        for (k, latest) in state.prefix::<u64>(keys::LATEST_PREFIX)? {
            let id = keys::trailing_id(&k).ok_or_else(|| broken("a latest key without an id".into()))?;
            if id == 0 || id >= next {
                return Err(broken(format!("consent {id} is outside 1..{next}")));
            }
            let c: Consent = state
                .get(&keys::version(id, latest))?
                .ok_or_else(|| broken(format!("consent {id} has no version {latest}")))?;
            let listed = state.get_raw(&keys::by_subject(&c.terms.subject, id))?.is_some();
            if listed != (c.terms.status != Status::Inactive) {
                return Err(broken(format!("consent {id} is {} but listed: {listed}", c.terms.status.name())));
            }
        }
        // The role index mirrors the role grants, key for key.
        let grants = state.prefix_raw(keys::ROLE_PREFIX)?;
        let index = state.prefix_raw(keys::ROLE_INDEX_PREFIX)?;
        if grants.len() != index.len() {
            return Err(broken(format!("{} role grants but {} in the role index", grants.len(), index.len())));
        }
        for ((gk, gv), (ik, iv)) in grants.iter().zip(&index) {
            if gk[keys::ROLE_PREFIX.len()..] != ik[keys::ROLE_INDEX_PREFIX.len()..] || gv != iv {
                return Err(broken("the role index differs from the role grants".into()));
            }
        }
        Ok(())
    }
}
