//! salus-sdk: what every Salus module depends on.
//!
//! State access ([`StateRead`], [`StateWrite`], [`Overlay`]), identities ([`Address`]), money
//! ([`Coin`], [`Coins`]), metering ([`GasMeter`]), outcomes ([`Error`], [`Event`]), accounts
//! ([`auth`]), the verification of standard Cosmos SDK transactions ([`tx`]), fixed-point decimals
//! ([`Dec`]), block time ([`Time`]), the module contract ([`Module`]) and its commands
//! ([`cli::ModuleCli`]).

pub mod address;
pub mod auth;
pub mod cli;
pub mod coin;
pub mod context;
pub mod dec;
pub mod error;
pub mod event;
pub mod gas;
pub mod json;
pub mod module;
pub mod pagination;
pub mod state;
pub mod time;
pub mod tx;

pub use address::Address;
pub use coin::{Coin, Coins};
pub use context::{BlockCtx, HeaderHashes, Msg};
pub use dec::{Dec, DecCoins};
pub use error::{Error, SdkCode};
pub use event::Event;
pub use gas::{GasCosts, GasMeter};
pub use module::{BlockInfo, GenesisCtx, Hooks, Module, ModuleAccount, MsgRouter, Permission, ValidatorUpdate};
pub use pagination::Page;
pub use state::{Overlay, StateRead, StateReadExt, StateWrite, StateWriteExt};
pub use time::Time;

/// The bech32 prefix of account addresses.
pub const BECH32_PREFIX: &str = "salus";
/// The base (staking and fee) denomination.
pub const BASE_DENOM: &str = "usalus";
