//! The gRPC server answers the Cosmos query services with the same state as ABCI queries and
//! honours `x-cosmos-block-height`.

use salus_e2e::Node;
use salus_proto::cosmos::auth::v1beta1::{query_client::QueryClient as AuthClient, QueryAccountRequest};
use salus_proto::cosmos::bank::v1beta1::{query_client::QueryClient as BankClient, QueryBalanceRequest};
use salus_proto::cosmos::base::node::v1beta1::{service_client::ServiceClient as NodeClient, ConfigRequest};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn grpc_answers_cosmos_queries_at_any_height() {
    let node = tokio::task::spawn_blocking(|| Node::start_single("salus-e2e-grpc")).await.unwrap().unwrap();
    let bob =
        node.ok(&["keys", "add", "bob", "--output", "json"]).unwrap().json()["address"].as_str().unwrap().to_string();
    let sent =
        node.ok(&["tx", "token", "send", "demo", &bob, "321usalus", "--yes", "--output", "json"]).unwrap().json();
    let height: u64 = sent["height"].as_str().unwrap().parse().unwrap();

    let channel = tonic::transport::Channel::from_shared(format!("http://127.0.0.1:{}", node.grpc_port))
        .unwrap()
        .connect()
        .await
        .unwrap();
    let mut bank = BankClient::new(channel.clone());
    let req = || QueryBalanceRequest { address: bob.clone(), denom: "usalus".into() };
    let latest = bank.balance(req()).await.unwrap();
    assert_eq!(latest.get_ref().balance.as_ref().unwrap().amount, "321");
    let answered_at: u64 = latest.metadata().get("x-cosmos-block-height").unwrap().to_str().unwrap().parse().unwrap();
    assert!(answered_at >= height);

    let mut old = tonic::Request::new(req());
    old.metadata_mut().insert("x-cosmos-block-height", (height - 1).to_string().parse().unwrap());
    let before = bank.balance(old).await.unwrap();
    assert_eq!(before.get_ref().balance.as_ref().unwrap().amount, "0", "state before the transfer");
    assert_eq!(before.metadata().get("x-cosmos-block-height").unwrap().to_str().unwrap(), (height - 1).to_string());

    let missing = AuthClient::new(channel.clone())
        .account(QueryAccountRequest { address: "salus1qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqnrql8a".into() })
        .await
        .unwrap_err();
    assert_eq!(missing.code(), tonic::Code::InvalidArgument, "a malformed address is the caller's error: {missing:?}");

    let config = NodeClient::new(channel.clone()).config(ConfigRequest::default()).await.unwrap();
    assert_eq!(config.get_ref().minimum_gas_price, "0.001000000000000000usalus");

    // What Hermes reads: staking params with an unbonding time and non-zero historical entries,
    // and the historical info they keep.
    use salus_proto::cosmos::staking::v1beta1 as staking;
    let mut st = staking::query_client::QueryClient::new(channel.clone());
    let params = st.params(staking::QueryParamsRequest {}).await.unwrap().into_inner().params.unwrap();
    assert_eq!(params.unbonding_time.unwrap().seconds, 21 * 24 * 3600);
    assert!(params.historical_entries > 0);
    assert_eq!(params.bond_denom, "usalus");
    let hist = st.historical_info(staking::QueryHistoricalInfoRequest { height: height as i64 }).await.unwrap();
    let hist = hist.into_inner().hist.unwrap();
    let header = hist.header.unwrap();
    assert_eq!(header.height, height as i64);
    assert_eq!(hist.valset.len(), 1);
    // The hashes of the header CometBFT committed: what a light client of Salus stores as its
    // consensus state at that height (IBC's host consensus state).
    let block = node.rpc(&format!("block?height={height}")).unwrap();
    let committed = &block["block"]["header"];
    assert_eq!(hex::encode_upper(&header.app_hash), committed["app_hash"].as_str().unwrap());
    assert_eq!(hex::encode_upper(&header.next_validators_hash), committed["next_validators_hash"].as_str().unwrap());

    // What Hermes' health check reads of the app: the Cosmos SDK level it speaks and the CometBFT
    // that runs it, in the version CometBFT reports.
    use salus_proto::cosmos::base::tendermint::v1beta1 as cmt;
    let info = cmt::service_client::ServiceClient::new(channel.clone())
        .get_node_info(cmt::GetNodeInfoRequest {})
        .await
        .unwrap()
        .into_inner();
    let app = info.application_version.unwrap();
    let dep = |path: &str| app.build_deps.iter().find(|m| m.path == path).map(|m| m.version.clone());
    assert_eq!(dep("github.com/cosmos/cosmos-sdk").as_deref(), Some("v0.50.0"));
    let comet_version = node.rpc("status").unwrap()["node_info"]["version"].as_str().unwrap().to_string();
    assert_eq!(dep("github.com/cometbft/cometbft"), Some(format!("v{comet_version}")));
    assert_eq!(app.cosmos_sdk_version, "v0.50.0");
    let validators = st.validators(staking::QueryValidatorsRequest::default()).await.unwrap().into_inner();
    let v = &validators.validators[0];
    assert_eq!((v.status, v.tokens.as_str()), (3, "100000000000"), "bonded with the gentx's stake");
    let pool = st.pool(staking::QueryPoolRequest {}).await.unwrap().into_inner().pool.unwrap();
    assert_eq!(pool.bonded_tokens, "100000000000");
    let not_a_validator = salus_sdk::Address::parse("bob", &bob).unwrap().to_valoper();
    let unknown = st.validator(staking::QueryValidatorRequest { validator_addr: not_a_validator }).await.unwrap_err();
    assert_eq!(unknown.code(), tonic::Code::NotFound, "{unknown:?}");

    use salus_proto::cosmos::distribution::v1beta1 as distr;
    let pool = distr::query_client::QueryClient::new(channel.clone())
        .community_pool(distr::QueryCommunityPoolRequest {})
        .await
        .unwrap()
        .into_inner();
    assert!(!pool.pool.is_empty(), "the community tax of every block");
    use salus_proto::cosmos::slashing::v1beta1 as slashing;
    let infos = slashing::query_client::QueryClient::new(channel)
        .signing_infos(slashing::QuerySigningInfosRequest { pagination: None })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(infos.info.len(), 1);

    // Lists come in pages: one validator a page, counted, and nothing after it.
    use salus_proto::cosmos::base::query::v1beta1::PageRequest;
    let pagination = Some(PageRequest { limit: 1, count_total: true, ..Default::default() });
    let page = st.validators(staking::QueryValidatorsRequest { status: String::new(), pagination }).await.unwrap();
    let page = page.into_inner().pagination.unwrap();
    assert_eq!((page.total, page.next_key.is_empty()), (1, true));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn grpc_reflection_lists_and_describes_the_services() {
    use tonic_reflection::pb::v1::server_reflection_client::ServerReflectionClient;
    use tonic_reflection::pb::v1::server_reflection_request::MessageRequest;
    use tonic_reflection::pb::v1::server_reflection_response::MessageResponse;
    use tonic_reflection::pb::v1::ServerReflectionRequest;

    let node = tokio::task::spawn_blocking(|| Node::start_single("salus-e2e-refl")).await.unwrap().unwrap();
    let channel = tonic::transport::Channel::from_shared(format!("http://127.0.0.1:{}", node.grpc_port))
        .unwrap()
        .connect()
        .await
        .unwrap();
    let mut client = ServerReflectionClient::new(channel);
    let ask = |m: MessageRequest| ServerReflectionRequest { host: String::new(), message_request: Some(m) };
    let requests = tokio_stream::iter(vec![
        ask(MessageRequest::ListServices(String::new())),
        ask(MessageRequest::FileContainingSymbol("cosmos.bank.v1beta1.Query".into())),
        ask(MessageRequest::FileContainingSymbol("cosmos.crypto.secp256k1.PubKey".into())),
        ask(MessageRequest::FileContainingSymbol("cosmos.crypto.ed25519.PubKey".into())),
    ]);
    let mut responses = client.server_reflection_info(requests).await.unwrap().into_inner();

    let Some(MessageResponse::ListServicesResponse(list)) =
        responses.message().await.unwrap().unwrap().message_response
    else {
        panic!("expected a service list");
    };
    let names: Vec<_> = list.service.iter().map(|s| s.name.as_str()).collect();
    for expected in [
        "cosmos.bank.v1beta1.Query",
        "cosmos.auth.v1beta1.Query",
        "cosmos.tx.v1beta1.Service",
        "cosmos.base.node.v1beta1.Service",
        "cosmos.base.tendermint.v1beta1.Service",
        "salus.did.v1.Query",
        "cosmos.staking.v1beta1.Query",
        "cosmos.distribution.v1beta1.Query",
        "cosmos.slashing.v1beta1.Query",
        "cosmos.bank.v1beta1.Msg",
        "cosmos.staking.v1beta1.Msg",
        "cosmos.distribution.v1beta1.Msg",
        "cosmos.slashing.v1beta1.Msg",
        "salus.did.v1.Msg",
        "grpc.reflection.v1.ServerReflection",
    ] {
        assert!(names.contains(&expected), "{expected} missing from {names:?}");
    }
    let Some(MessageResponse::FileDescriptorResponse(files)) =
        responses.message().await.unwrap().unwrap().message_response
    else {
        panic!("expected file descriptors");
    };
    assert!(!files.file_descriptor_proto.is_empty());
    // The public keys inside BaseAccount.pub_key and MsgCreateValidator.pubkey decode too.
    for (package, message) in [("cosmos.crypto.secp256k1", "PubKey"), ("cosmos.crypto.ed25519", "PubKey")] {
        let Some(MessageResponse::FileDescriptorResponse(files)) =
            responses.message().await.unwrap().unwrap().message_response
        else {
            panic!("expected the file of {package}.{message}");
        };
        let declared = files.file_descriptor_proto.iter().any(|bytes| {
            let file = <prost_types::FileDescriptorProto as prost::Message>::decode(bytes.as_slice()).unwrap();
            file.package() == package && file.message_type.iter().any(|m| m.name() == message)
        });
        assert!(declared, "{package}.{message} is not described");
    }
}
