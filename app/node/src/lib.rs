//! salus-node: the Salus application (block lifecycle, tx pipeline, queries), its ABCI and gRPC
//! servers, and the `salusd` command line.

pub mod app;
pub mod bench;
pub mod bench_e2e;
pub mod bench_worst;
pub mod cli;
pub mod client;
pub mod genutil;
pub mod grpc;
pub mod home;
pub mod keyring;
