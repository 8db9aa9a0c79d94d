//! salus-sdk: what every Salus module depends on.
//!
//! State access ([`StateRead`], [`StateWrite`], [`Overlay`]), identities ([`Address`]), money
//! ([`Coin`], [`Coins`]), metering ([`GasMeter`]), outcomes ([`Error`], [`Event`]), accounts
//! ([`auth`]) and the verification of standard Cosmos SDK transactions ([`tx`]).

pub mod address;
pub mod auth;
pub mod coin;
pub mod context;
pub mod error;
pub mod event;
pub mod gas;
pub mod pagination;
pub mod state;
pub mod tx;

pub use address::Address;
pub use coin::{Coin, Coins};
pub use context::{BlockCtx, Msg};
pub use error::{Error, SdkCode};
pub use event::Event;
pub use gas::{GasCosts, GasMeter};
pub use pagination::Page;
pub use state::{Overlay, StateRead, StateReadExt, StateWrite, StateWriteExt};

/// The bech32 prefix of account addresses.
pub const BECH32_PREFIX: &str = "salus";
/// The base (staking and fee) denomination.
pub const BASE_DENOM: &str = "usalus";
