//! The governance module's side of the module contract.

use salus_proto::Any;
use salus_sdk::module::{GenesisCtx, Hooks, ModuleAccount, Permission};
use salus_sdk::{BlockCtx, Coins, Error, Module, MsgRouter, StateRead, StateReadExt, StateWrite};
use salus_token::TokenRead;

use crate::hooks::is_queued;
use crate::types::Deposit;
use crate::{handler, hooks, keys, query, Genesis, GovMsg, GovRead, NAME};

/// Holds the deposits of live proposals and signs passed proposals' messages. It burns
/// deposits (veto, missed quorum, cancellation fees).
pub const GOV_ACCOUNT: ModuleAccount = ModuleAccount::new(NAME, &[Permission::Burner]);

pub struct GovModule;

impl Module for GovModule {
    const NAME: &'static str = NAME;
    const SERVICES: &'static [&'static str] =
        &["cosmos.gov.v1.Query", "cosmos.gov.v1.Msg", "cosmos.gov.v1beta1.Query", "cosmos.gov.v1beta1.Msg"];
    const HOOKS: Hooks = Hooks::END;

    type Msg = GovMsg;
    type Genesis = Genesis;
    type DecodeLimits = ();

    fn type_urls() -> Vec<String> {
        GovMsg::type_urls()
    }

    fn decode(any: &Any, _limits: &()) -> Result<GovMsg, Error> {
        GovMsg::decode(any)
    }

    fn execute(state: &mut impl StateWrite, ctx: &BlockCtx, router: &dyn MsgRouter, msg: &GovMsg) -> Result<(), Error> {
        handler::execute(state, ctx, router, msg)
    }

    fn validate_genesis(genesis: &Genesis) -> Result<(), Error> {
        genesis.validate()
    }

    fn init_genesis(state: &mut impl StateWrite, ctx: &GenesisCtx, genesis: &Genesis) -> Result<(), Error> {
        genesis.init(state, ctx)
    }

    fn export_genesis(state: &impl StateRead) -> Result<Genesis, Error> {
        Genesis::export(state)
    }

    fn query(state: &impl StateRead, path: &str, request: &[u8]) -> Option<Result<Vec<u8>, Error>> {
        query::handle(state, path, request)
    }

    fn end_block(
        state: &mut impl StateWrite,
        ctx: &BlockCtx,
        router: &dyn MsgRouter,
    ) -> Result<Vec<salus_sdk::ValidatorUpdate>, Error> {
        hooks::end_block(state, ctx, router)?;
        Ok(Vec::new())
    }

    fn module_accounts() -> Vec<ModuleAccount> {
        vec![GOV_ACCOUNT]
    }

    /// The governance account holds exactly the live deposits; every live proposal's total is
    /// the sum of its deposits and it waits in its queue.
    fn invariants(state: &impl StateRead) -> Result<(), Error> {
        let broken = |m: String| Error::internal(format!("gov invariant: {m}"));
        let deposits: Vec<Deposit> =
            state.prefix::<Deposit>(keys::DEPOSIT_PREFIX)?.into_iter().map(|(_, d)| d).collect();
        let held = Coins::new(state.balances(&GOV_ACCOUNT.address())?)?;
        let owed = Coins::checked_sum(deposits.iter().map(|d| &d.amount))?;
        if held != owed {
            return Err(broken(format!("the governance account holds {held} but the live deposits are {owed}")));
        }
        // Each proposal's deposits summed once (linear, not proposals x deposits).
        let mut by_proposal: std::collections::BTreeMap<u64, Coins> = std::collections::BTreeMap::new();
        for d in &deposits {
            let sum = by_proposal.entry(d.proposal_id).or_default();
            *sum = sum.checked_add(&d.amount)?;
        }
        let next_id = state.next_proposal_id()?;
        for (_, p) in state.prefix::<crate::Proposal>(keys::PROPOSAL_PREFIX)? {
            let live = p.in_deposit_period() || p.in_voting_period();
            let sum = by_proposal.get(&p.id).cloned().unwrap_or_default();
            if live && sum != p.total_deposit {
                return Err(broken(format!(
                    "proposal {}: total deposit {} but deposits sum to {sum}",
                    p.id, p.total_deposit
                )));
            }
            if !live && !sum.is_empty() {
                return Err(broken(format!("proposal {} has ended but still holds deposits {sum}", p.id)));
            }
            if live && !is_queued(state, &p)? {
                return Err(broken(format!("proposal {} is live but in no queue", p.id)));
            }
            if p.id >= next_id {
                return Err(broken(format!("proposal {} is at or past the next id", p.id)));
            }
        }
        Ok(())
    }
}
