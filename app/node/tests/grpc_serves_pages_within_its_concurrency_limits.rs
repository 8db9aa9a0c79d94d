//! The gRPC server, in process over a real store, pages a list with next_key and answers many
//! concurrent requests on tight concurrency limits (one per connection, two in all).

mod support;

use salus_node::app::query::NodeInfoCache;
use salus_node::grpc::{serve_on, GrpcLimits};
use salus_proto::cosmos::bank::v1beta1 as bank;
use salus_proto::cosmos::base::query::v1beta1::PageRequest;
use salus_proto::cosmos::staking::v1beta1 as staking;
use support::*;

#[test]
fn grpc_pages_validators_and_answers_many_requests_on_tight_limits() {
    let validators: Vec<GenesisValidator> = (10..15).map(|n| GenesisValidator::new(n, 10_000_000)).collect();
    let genesis = staking_genesis(&[(&key(1), 1_000)], &validators, serde_json::json!({}));
    let mut chain = TestChain::with_genesis(&genesis);
    chain.block(vec![]);
    let mut operators: Vec<String> = validators.iter().map(|v| v.valoper()).collect();
    operators.sort_by_key(|v| salus_sdk::Address::parse_valoper("v", v).unwrap().0);
    let queries = chain.app.query_handle();

    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let limits = GrpcLimits { max_concurrent_requests: 2, concurrency_per_connection: 1 };
        tokio::spawn(serve_on(listener, queries, NodeInfoCache::default(), limits));
        let channel =
            tonic::transport::Channel::from_shared(format!("http://{addr}")).unwrap().connect().await.unwrap();

        // Two validators a page: three pages, every validator once, by operator address.
        let mut st = staking::query_client::QueryClient::new(channel.clone());
        let (mut seen, mut key, mut pages) = (Vec::new(), Vec::new(), 0);
        loop {
            let pagination = Some(PageRequest { key, limit: 2, ..Default::default() });
            let page = st.validators(staking::QueryValidatorsRequest { status: String::new(), pagination });
            let page = page.await.unwrap().into_inner();
            seen.extend(page.validators.into_iter().map(|v| v.operator_address));
            pages += 1;
            key = page.pagination.unwrap().next_key;
            if key.is_empty() {
                break;
            }
        }
        assert_eq!((seen, pages), (operators, 3));

        // Key and offset together: the caller's error.
        let both = Some(PageRequest { key: vec![1], offset: 1, ..Default::default() });
        let err = st.validators(staking::QueryValidatorsRequest { status: String::new(), pagination: both });
        let err = err.await.unwrap_err();
        assert_eq!(err.code(), tonic::Code::InvalidArgument, "{err:?}");
        assert!(err.message().contains("either offset or key is expected, got both"));

        // Forty requests at once over four connections, two served at a time: all answered.
        let mut connections = Vec::new();
        for _ in 0..4 {
            let c = tonic::transport::Channel::from_shared(format!("http://{addr}")).unwrap().connect().await.unwrap();
            connections.push(c);
        }
        let alice = key_address(1);
        let calls: Vec<_> = (0..40)
            .map(|i| {
                let mut client = bank::query_client::QueryClient::new(connections[i % 4].clone());
                let req = bank::QueryBalanceRequest { address: alice.clone(), denom: "usalus".into() };
                tokio::spawn(async move { client.balance(req).await.map(|r| r.into_inner().balance.unwrap().amount) })
            })
            .collect();
        for call in calls {
            assert_eq!(call.await.unwrap().unwrap(), "1000");
        }
    });
}

fn key_address(n: u8) -> String {
    key(n).address.to_string()
}
