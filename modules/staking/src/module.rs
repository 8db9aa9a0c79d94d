//! The crate's three modules, as Cosmos has them: `staking` (validators and delegations),
//! `slashing` (liveness and double signs) and `distribution` (rewards). They share one message
//! enum and one handler; each routes its own type URLs, query services and genesis section, and
//! has its own hooks, module accounts and codespace.

use salus_proto::Any;
use salus_sdk::module::{GenesisCtx, Hooks, ModuleAccount, Permission};
use salus_sdk::{BlockCtx, BlockInfo, Error, Module, MsgRouter, StateRead, StateWrite, ValidatorUpdate};

use crate::genesis::{DistributionGenesis, SlashingGenesis, StakingGenesis};
use crate::state::StakingRead;
use crate::{bonding, distribution, handler, hooks, invariants, query, slashing, StakingMsg};

/// Holds the tokens of bonded validators.
pub const BONDED_POOL: ModuleAccount =
    ModuleAccount::new("bonded_tokens_pool", &[Permission::Burner, Permission::Staking]);
/// Holds the tokens of unbonding and unbonded validators and of unbonding delegations.
pub const NOT_BONDED_POOL: ModuleAccount =
    ModuleAccount::new("not_bonded_tokens_pool", &[Permission::Burner, Permission::Staking]);
/// Holds rewards not yet withdrawn and the community pool.
pub const DISTRIBUTION_ACCOUNT: ModuleAccount = ModuleAccount::new("distribution", &[]);

/// Validators and delegations. Its params change only by governance
/// (`cosmos.staking.v1beta1.MsgUpdateParams`).
pub struct StakingModule;
/// Liveness and double signs. Its params change only by governance
/// (`cosmos.slashing.v1beta1.MsgUpdateParams`).
pub struct SlashingModule;
/// Rewards, inflation and the community pool. Governance changes its params with Cosmos'
/// `cosmos.distribution.v1beta1.MsgUpdateParams`, so that Cosmos clients and governance UIs build
/// it unchanged; Cosmos' distribution `Params` hold `community_tax` and `withdraw_addr_enabled`
/// only, so those are what it sets, and Salus' inflation params (`inflation_rate`,
/// `blocks_per_year`, which Cosmos keeps in x/mint) keep their values: a Salus-own message for
/// all four would leave Cosmos clients unable to build the update, and a message for inflation
/// belongs with a mint-shaped interface if governance needs one. The community pool pays out only
/// by governance, with `cosmos.distribution.v1beta1.MsgCommunityPoolSpend`.
pub struct DistributionModule;

impl Module for StakingModule {
    const NAME: &'static str = crate::NAME;
    const SERVICES: &'static [&'static str] = &["cosmos.staking.v1beta1.Query", "cosmos.staking.v1beta1.Msg"];
    const HOOKS: Hooks = Hooks::END;

    type Msg = StakingMsg;
    type Genesis = StakingGenesis;
    type DecodeLimits = ();

    fn type_urls() -> Vec<String> {
        StakingMsg::staking_type_urls()
    }

    fn decode(any: &Any, _limits: &()) -> Result<StakingMsg, Error> {
        StakingMsg::decode(any)
    }

    fn execute(
        state: &mut impl StateWrite,
        ctx: &BlockCtx,
        _router: &dyn MsgRouter,
        msg: &StakingMsg,
    ) -> Result<(), Error> {
        handler::execute(state, ctx, msg)
    }

    fn validate_genesis(genesis: &StakingGenesis) -> Result<(), Error> {
        genesis.validate()
    }

    fn init_genesis(state: &mut impl StateWrite, _ctx: &GenesisCtx, genesis: &StakingGenesis) -> Result<(), Error> {
        genesis.init(state)
    }

    fn export_genesis(state: &impl StateRead) -> Result<StakingGenesis, Error> {
        StakingGenesis::export(state)
    }

    fn query(state: &impl StateRead, path: &str, request: &[u8]) -> Option<Result<Vec<u8>, Error>> {
        query::handle(state, path, request)
    }

    /// The validator set, matured unbondings and the historical record.
    fn end_block(
        state: &mut impl StateWrite,
        ctx: &BlockCtx,
        _router: &dyn MsgRouter,
    ) -> Result<Vec<ValidatorUpdate>, Error> {
        hooks::end_block(state, ctx)
    }

    /// The first validator set, from the gentxs' validators; an exported genesis starts with its
    /// last set (with whatever the gentxs changed), all of which CometBFT is told.
    fn end_genesis(state: &mut impl StateWrite, ctx: &BlockCtx) -> Result<Vec<ValidatorUpdate>, Error> {
        let exported = !state.last_powers()?.is_empty();
        let updates = bonding::apply_validator_set(state, ctx)?;
        if exported {
            return Self::validator_set(state);
        }
        Ok(updates)
    }

    fn validator_set(state: &impl StateRead) -> Result<Vec<ValidatorUpdate>, Error> {
        let mut set = Vec::new();
        for (op, power) in state.last_powers()? {
            if let Some(v) = state.validator(&op)? {
                set.push(ValidatorUpdate { pubkey: v.consensus_pubkey, power });
            }
        }
        Ok(set)
    }

    fn module_accounts() -> Vec<ModuleAccount> {
        vec![BONDED_POOL, NOT_BONDED_POOL]
    }

    /// Pools, shares, the power index and the rewards held (distribution's too: they are one
    /// set of books).
    fn invariants(state: &impl StateRead) -> Result<(), Error> {
        invariants::check(state)
    }
}

impl Module for SlashingModule {
    const NAME: &'static str = crate::SLASHING;
    const SERVICES: &'static [&'static str] = &["cosmos.slashing.v1beta1.Query", "cosmos.slashing.v1beta1.Msg"];
    const HOOKS: Hooks = Hooks::BEGIN;

    type Msg = StakingMsg;
    type Genesis = SlashingGenesis;
    type DecodeLimits = ();

    fn type_urls() -> Vec<String> {
        StakingMsg::slashing_type_urls()
    }

    fn decode(any: &Any, _limits: &()) -> Result<StakingMsg, Error> {
        StakingMsg::decode(any)
    }

    fn execute(
        state: &mut impl StateWrite,
        ctx: &BlockCtx,
        _router: &dyn MsgRouter,
        msg: &StakingMsg,
    ) -> Result<(), Error> {
        handler::execute(state, ctx, msg)
    }

    fn validate_genesis(genesis: &SlashingGenesis) -> Result<(), Error> {
        genesis.validate()
    }

    fn init_genesis(state: &mut impl StateWrite, _ctx: &GenesisCtx, genesis: &SlashingGenesis) -> Result<(), Error> {
        genesis.init(state)
    }

    fn export_genesis(state: &impl StateRead) -> Result<SlashingGenesis, Error> {
        SlashingGenesis::export(state)
    }

    fn query(state: &impl StateRead, path: &str, request: &[u8]) -> Option<Result<Vec<u8>, Error>> {
        query::handle(state, path, request)
    }

    fn invariants(state: &impl StateRead) -> Result<(), Error> {
        invariants::check_slashing(state)
    }

    /// Liveness from the last commit's votes, then evidence of double signs.
    fn begin_block(state: &mut impl StateWrite, ctx: &BlockCtx, info: &BlockInfo) -> Result<(), Error> {
        slashing::handle_votes(state, ctx, &info.votes)?;
        slashing::handle_misbehavior(state, ctx, &info.misbehavior)
    }
}

impl Module for DistributionModule {
    const NAME: &'static str = crate::DISTRIBUTION;
    const SERVICES: &'static [&'static str] = &["cosmos.distribution.v1beta1.Query", "cosmos.distribution.v1beta1.Msg"];
    const HOOKS: Hooks = Hooks::BEGIN;

    type Msg = StakingMsg;
    type Genesis = DistributionGenesis;
    type DecodeLimits = ();

    fn type_urls() -> Vec<String> {
        StakingMsg::distribution_type_urls()
    }

    fn decode(any: &Any, _limits: &()) -> Result<StakingMsg, Error> {
        StakingMsg::decode(any)
    }

    fn execute(
        state: &mut impl StateWrite,
        ctx: &BlockCtx,
        _router: &dyn MsgRouter,
        msg: &StakingMsg,
    ) -> Result<(), Error> {
        handler::execute(state, ctx, msg)
    }

    fn validate_genesis(genesis: &DistributionGenesis) -> Result<(), Error> {
        genesis.validate()
    }

    fn init_genesis(state: &mut impl StateWrite, ctx: &GenesisCtx, genesis: &DistributionGenesis) -> Result<(), Error> {
        // Rewards paid to a module account would break that module's books (the handler refuses
        // such a withdraw address too).
        for (i, w) in genesis.delegator_withdraw_infos.iter().enumerate() {
            let Ok(to) = salus_sdk::Address::parse("withdraw_address", &w.withdraw_address) else { continue };
            if ctx.module_accounts.iter().any(|a| a.address() == to) {
                return Err(Error::sdk(
                    salus_sdk::SdkCode::InvalidRequest,
                    format!(
                    "distribution.delegator_withdraw_infos[{i}]: {} is a module account: rewards cannot be paid to it",
                    w.withdraw_address
                ),
                ));
            }
        }
        genesis.init(state)
    }

    fn export_genesis(state: &impl StateRead) -> Result<DistributionGenesis, Error> {
        DistributionGenesis::export(state)
    }

    fn query(state: &impl StateRead, path: &str, request: &[u8]) -> Option<Result<Vec<u8>, Error>> {
        query::handle(state, path, request)
    }

    /// Inflation and fees to the last block's voters.
    fn begin_block(state: &mut impl StateWrite, _ctx: &BlockCtx, info: &BlockInfo) -> Result<(), Error> {
        distribution::allocate(state, &info.votes)
    }

    fn module_accounts() -> Vec<ModuleAccount> {
        vec![DISTRIBUTION_ACCOUNT]
    }
}
