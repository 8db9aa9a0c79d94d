//! The node's scenario tests drive the chain through the test kit (app/testkit).

#![allow(unused_imports)]

pub use salus_testkit::*;
