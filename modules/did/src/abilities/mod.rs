//! What the DID module offers other modules.

pub mod act_as;

pub use act_as::ActAsDid;
