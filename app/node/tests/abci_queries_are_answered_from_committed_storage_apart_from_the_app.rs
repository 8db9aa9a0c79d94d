//! The info connection (Info, Query, Echo) is answered by its own service from committed storage,
//! not by the App that owns consensus: while a block is finalized but not committed, Info reports
//! the last committed height and app hash and queries read the committed state; after Commit both
//! move on. Many queries at once on a small concurrency limit are all answered.

mod support;

use prost::Message;
use salus_node::app::info::InfoService;
use salus_node::app::query::NodeInfoCache;
use salus_proto::cosmos::bank::v1beta1 as bank;
use salus_sdk::Address;
use support::*;
use tendermint::abci::request;
use tendermint::v0_38::abci::{InfoRequest, InfoResponse};
use tower::{Service, ServiceExt};

fn balance_query(addr: &Address) -> InfoRequest {
    let req = bank::QueryBalanceRequest { address: addr.to_string(), denom: "usalus".into() };
    InfoRequest::Query(request::Query {
        data: req.encode_to_vec().into(),
        path: "/cosmos.bank.v1beta1.Query/Balance".into(),
        height: 0u32.into(),
        prove: false,
    })
}

fn amount(resp: InfoResponse) -> u128 {
    let InfoResponse::Query(q) = resp else { panic!("not a query answer: {resp:?}") };
    assert!(q.code.is_ok(), "{}", q.log);
    bank::QueryBalanceResponse::decode(q.value.as_ref()).unwrap().balance.unwrap().amount.parse().unwrap()
}

fn info(resp: InfoResponse) -> (i64, Vec<u8>) {
    let InfoResponse::Info(i) = resp else { panic!("not an info answer: {resp:?}") };
    (i.last_block_height.value() as i64, i.last_block_app_hash.as_bytes().to_vec())
}

#[test]
fn info_and_queries_read_committed_storage_while_a_block_is_pending() {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let mut chain = TestChain::new();
    chain.block(vec![]);
    let mut service = InfoService::new(chain.app.query_handle(), NodeInfoCache::default(), "test".into(), 2);
    let mut ask =
        |req: InfoRequest| runtime.block_on(async { service.ready().await.unwrap().call(req).await.unwrap() });
    let info_req = || {
        InfoRequest::Info(request::Info {
            version: "0.38.0".into(),
            block_version: 11,
            p2p_version: 8,
            abci_version: "2.0.0".into(),
        })
    };

    let (alice, bob) = (key(1), key(3));
    assert_eq!(info(ask(info_req())), (1, chain.app_hash().to_vec()));
    let tx = sign(&alice, vec![send_msg(&alice.address, &bob.address, "77")], &chain.spec(&alice));

    // Finalized, not committed: the info connection still sees height 1.
    let (outcomes, pending_hash) = chain.finalize(vec![tx]);
    assert!(outcomes[0].is_ok(), "{}", outcomes[0].log);
    assert_eq!(info(ask(info_req())), (1, chain.app_hash().to_vec()));
    assert_ne!(chain.app_hash(), pending_hash);
    assert_eq!(amount(ask(balance_query(&bob.address))), 0);

    // Committed: height 2 with the finalized hash, and the transfer is visible.
    chain.app.commit().unwrap();
    assert_eq!(info(ask(info_req())), (2, pending_hash.to_vec()));
    assert_eq!(amount(ask(balance_query(&bob.address))), 77);
    // The App's own view agrees.
    assert_eq!(chain.app.last_committed().unwrap(), Some((2, pending_hash)));

    // Echo, and a refused query keeps its code and the gRPC log cosmjs reads.
    let InfoResponse::Echo(e) = ask(InfoRequest::Echo(request::Echo { message: "hi".into() })) else { panic!() };
    assert_eq!(e.message, "hi");
    let unknown = InfoRequest::Query(request::Query {
        data: Default::default(),
        path: "/cosmos.nothing.v1.Query/Nothing".into(),
        height: 0u32.into(),
        prove: false,
    });
    let InfoResponse::Query(q) = ask(unknown) else { panic!() };
    assert_eq!((q.codespace.as_str(), q.code.value()), ("sdk", salus_sdk::SdkCode::UnknownRequest as u32));
    assert!(q.log.starts_with("rpc error: code = Unimplemented desc = unknown query path"), "{}", q.log);

    // Fifty queries in flight on a limit of two are all answered.
    let answers = runtime.block_on(async {
        let calls: Vec<_> = (0..50)
            .map(|i| {
                let mut s = service.clone();
                let who = if i % 2 == 0 { bob.address } else { alice.address };
                tokio::spawn(async move { s.ready().await.unwrap().call(balance_query(&who)).await.unwrap() })
            })
            .collect();
        let mut out = Vec::new();
        for call in calls {
            out.push(call.await.unwrap());
        }
        out
    });
    let bobs: Vec<u128> = answers.into_iter().step_by(2).map(amount).collect();
    assert_eq!(bobs, vec![77; 25]);
}
