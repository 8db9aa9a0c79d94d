//! What the token module offers other modules, one small trait a file (as Penumbra's
//! `fee_pay.rs` and Cosmos' `expected_keepers.go`). Each is implemented for every state, so a
//! module names the ability it uses in its imports and nothing more.

mod escrow;
mod fee_pay;
mod mint_burn;
mod transfer;

#[cfg(feature = "test-support")]
mod test_funds;

pub use escrow::Escrow;
pub use fee_pay::FeePay;
pub use mint_burn::MintBurn;
#[cfg(feature = "test-support")]
pub use test_funds::TestFunds;
pub use transfer::Transfer;
