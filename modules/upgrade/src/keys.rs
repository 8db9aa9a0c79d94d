//! Typed state keys of the upgrade module.

pub const PLAN: &[u8] = b"upgrade/plan";
pub const APPLIED_PREFIX: &[u8] = b"upgrade/applied/";

pub fn applied(name: &str) -> Vec<u8> {
    [APPLIED_PREFIX, name.as_bytes()].concat()
}
