//! The module contract. Every module implements [`Module`] once, in its crate's `module.rs`; the
//! node lists the modules in one place (`app/node/src/app/modules.rs`) and derives the message
//! router, genesis, query routing, block hooks, module accounts and invariants from that list.

use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::context::{BlockCtx, Msg};
use crate::error::Error;
use crate::state::{StateRead, StateWrite};
use crate::time::Time;
use crate::Address;
use salus_proto::Any;

/// One module: its name, messages, genesis, queries, block hooks, accounts and invariants.
///
/// The methods without a default are what every module has; the others are abilities a module
/// opts into (say so in `HOOKS`, so the node's hook order can be checked against it).
pub trait Module {
    /// Key prefix, event prefix, codespace, genesis section and CLI word.
    const NAME: &'static str;
    /// The protobuf services (full names) whose methods [`Module::query`] answers and whose
    /// messages [`Module::decode`] reads; gRPC reflection lists them.
    const SERVICES: &'static [&'static str];
    /// Which block hooks the module has; the node's hook order must name it for each.
    const HOOKS: Hooks = Hooks::NONE;

    /// The module's messages, as domain types.
    type Msg: Msg + Clone + std::fmt::Debug;
    /// Its `app_state` section of genesis.json.
    type Genesis: Default + Clone + std::fmt::Debug + PartialEq + Serialize + DeserializeOwned;
    /// What decoding needs from state (size caps), read from committed state at every Commit.
    type DecodeLimits: Default + Clone + std::fmt::Debug + Send + Sync;

    /// The type URLs [`Module::decode`] accepts, from the protobuf types themselves.
    fn type_urls() -> Vec<String>;
    /// Decodes an `Any` whose type URL is one of [`Module::type_urls`].
    fn decode(any: &Any, limits: &Self::DecodeLimits) -> Result<Self::Msg, Error>;
    /// The caps `decode` checks, as committed state holds them.
    fn decode_limits(_state: &impl StateRead) -> Result<Self::DecodeLimits, Error> {
        Ok(Self::DecodeLimits::default())
    }
    /// Runs a message whose signers the tx pipeline has checked. `router` runs other modules'
    /// messages (governance's proposals); most modules ignore it.
    fn execute(
        state: &mut impl StateWrite,
        ctx: &BlockCtx,
        router: &dyn MsgRouter,
        msg: &Self::Msg,
    ) -> Result<(), Error>;

    fn validate_genesis(genesis: &Self::Genesis) -> Result<(), Error>;
    /// Writes the genesis section; `ctx` lists every module account of the chain.
    fn init_genesis(state: &mut impl StateWrite, ctx: &GenesisCtx, genesis: &Self::Genesis) -> Result<(), Error>;
    /// Reads the section back from state, so that a new chain can start where this one is.
    fn export_genesis(state: &impl StateRead) -> Result<Self::Genesis, Error>;

    /// Answers a query path of one of the module's services; `None` if the path is not its.
    fn query(_state: &impl StateRead, _path: &str, _request: &[u8]) -> Option<Result<Vec<u8>, Error>> {
        None
    }

    /// Before the block's txs.
    fn begin_block(_state: &mut impl StateWrite, _ctx: &BlockCtx, _info: &BlockInfo) -> Result<(), Error> {
        Ok(())
    }
    /// After the block's txs; returns validator-set changes for CometBFT. `router` runs other
    /// modules' messages (a passed proposal's).
    fn end_block(
        _state: &mut impl StateWrite,
        _ctx: &BlockCtx,
        _router: &dyn MsgRouter,
    ) -> Result<Vec<ValidatorUpdate>, Error> {
        Ok(Vec::new())
    }
    /// After genesis and its gentxs: the first validator set, if the module makes it.
    fn end_genesis(_state: &mut impl StateWrite, _ctx: &BlockCtx) -> Result<Vec<ValidatorUpdate>, Error> {
        Ok(Vec::new())
    }
    /// The validator set as committed state has it, if the module makes it (a repeated
    /// InitChain answers with it).
    fn validator_set(_state: &impl StateRead) -> Result<Vec<ValidatorUpdate>, Error> {
        Ok(Vec::new())
    }

    /// The module's own accounts: users cannot send to them, and only those with a permission
    /// may have coins minted into or burned from them.
    fn module_accounts() -> Vec<ModuleAccount> {
        Vec::new()
    }
    /// Checks that must hold after every block; an error names what broke.
    fn invariants(_state: &impl StateRead) -> Result<(), Error> {
        Ok(())
    }
}

/// Runs any module's messages, as the node routes them: how governance checks a proposal's
/// messages at submission and executes them once it passes.
pub trait MsgRouter {
    /// Decodes `any` and checks it without state; returns who must sign it.
    fn signers(&self, any: &Any) -> Result<Vec<Address>, Error>;
    /// Decodes and checks `any`; returns the authority it names ([`Msg::authority`]).
    fn authority(&self, any: &Any) -> Result<Option<Address>, Error>;
    /// Decodes, checks and runs `any` against `state`; the caller has checked the signers.
    fn execute(&self, state: &mut dyn StateWrite, ctx: &BlockCtx, any: &Any) -> Result<(), Error>;
}

/// The governance module's name, which names its account.
pub const GOVERNANCE: &str = "gov";

/// The authority of every governance-only message (`MsgUpdateParams`, `MsgCommunityPoolSpend`,
/// `MsgSoftwareUpgrade`): the governance module's account, which no key controls, so only a
/// passed proposal signs as it.
pub fn governance_authority() -> Address {
    Address::module(GOVERNANCE)
}

/// Checks the `authority` of a governance-only message: Cosmos' `x/gov` "invalid authority".
pub fn check_authority(authority: &Address) -> Result<(), Error> {
    let expected = governance_authority();
    if *authority != expected {
        return Err(Error::sdk(
            crate::SdkCode::Unauthorized,
            format!("invalid authority; expected {expected}, got {authority}: only a governance proposal sends this message"),
        ));
    }
    Ok(())
}

/// A router that routes nothing: for running one module's messages alone (unit tests, tools).
/// Every call is refused with sdk code 6, never a panic.
pub struct NoRouter;

impl MsgRouter for NoRouter {
    fn signers(&self, any: &Any) -> Result<Vec<Address>, Error> {
        Err(no_route(any))
    }

    fn authority(&self, any: &Any) -> Result<Option<Address>, Error> {
        Err(no_route(any))
    }

    fn execute(&self, _: &mut dyn StateWrite, _: &BlockCtx, any: &Any) -> Result<(), Error> {
        Err(no_route(any))
    }
}

fn no_route(any: &Any) -> Error {
    Error::sdk(crate::SdkCode::UnknownRequest, format!("no router here: {} is not routed", any.type_url))
}

/// The block hooks a module has.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Hooks {
    pub begin_block: bool,
    pub end_block: bool,
}

impl Hooks {
    pub const NONE: Hooks = Hooks { begin_block: false, end_block: false };
    pub const BEGIN: Hooks = Hooks { begin_block: true, end_block: false };
    pub const END: Hooks = Hooks { begin_block: false, end_block: true };
}

/// What genesis init may know about the rest of the chain.
#[derive(Clone, Debug, Default)]
pub struct GenesisCtx {
    pub module_accounts: Vec<ModuleAccount>,
}

/// What a module account may do besides holding coins.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Permission {
    /// Coins may be minted into it.
    Minter,
    /// Coins may be burned from it.
    Burner,
    /// It holds staked coins.
    Staking,
}

/// An account owned by a module, at the address derived from its name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ModuleAccount {
    pub name: &'static str,
    pub permissions: &'static [Permission],
}

impl ModuleAccount {
    pub const fn new(name: &'static str, permissions: &'static [Permission]) -> Self {
        Self { name, permissions }
    }

    pub fn address(&self) -> Address {
        Address::module(self.name)
    }

    pub fn can(&self, permission: Permission) -> bool {
        self.permissions.contains(&permission)
    }
}

/// The type URL of a protobuf message, from its name: `/package.Name`.
pub fn type_url<M: prost::Name>() -> String {
    format!("/{}.{}", M::PACKAGE, M::NAME)
}

/// Whether `url` is `M`'s type URL, without allocating.
pub fn is_type<M: prost::Name>(url: &str) -> bool {
    url.strip_prefix('/')
        .and_then(|u| u.strip_prefix(M::PACKAGE))
        .and_then(|u| u.strip_prefix('.'))
        .is_some_and(|name| name == M::NAME)
}

/// Decodes a message's `Any`, naming the type in the error.
pub fn decode_any<M: prost::Message + Default>(any: &Any) -> Result<M, Error> {
    M::decode(any.value.as_slice())
        .map_err(|e| Error::sdk(crate::SdkCode::TxDecode, format!("{} does not decode: {e}", any.type_url)))
}

/// Decodes a query request body.
pub fn decode_request<M: prost::Message + Default>(bytes: &[u8]) -> Result<M, Error> {
    M::decode(bytes).map_err(|e| Error::sdk(crate::SdkCode::TxDecode, format!("query request does not decode: {e}")))
}

/// A validator-set change for CometBFT.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValidatorUpdate {
    pub pubkey: [u8; 32],
    pub power: u64,
}

/// One vote of the last commit, as FinalizeBlock reports it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VoteInfo {
    pub cons_address: [u8; 20],
    pub power: u64,
    pub signed: bool,
}

/// Evidence of a double sign (or a light-client attack) from CometBFT.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Misbehavior {
    pub cons_address: [u8; 20],
    pub height: u64,
    pub time: Time,
    pub power: u64,
}

/// What FinalizeBlock tells the modules before the block's txs.
#[derive(Clone, Debug, Default)]
pub struct BlockInfo {
    pub votes: Vec<VoteInfo>,
    pub misbehavior: Vec<Misbehavior>,
    /// The header's hash of the validator set of the next block.
    pub next_validators_hash: Vec<u8>,
}
