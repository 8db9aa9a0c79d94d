//! The one list of modules. The message router ([`AppMsg`]), genesis ([`AppGenesis`]), query
//! routing, block hooks in their consensus order, module accounts, invariants, the services gRPC
//! reflection lists and the modules' commands under `salusd tx` and `salusd query` are all derived
//! from it. Adding a module is one line here (and, if it has block hooks, its place in the hook
//! order).
//!
//! [`AppMsg`]'s matches are exhaustive and generated from the same list as the routing table, so
//! a module cannot be listed without its messages being routed, decoded and executed.

use std::collections::BTreeMap;
use std::sync::LazyLock;

use salus_proto::Any;
use salus_sdk::cli::{CliCtx, GasPolicy, ModuleCli, QueryAnswer, TxRequest};
use salus_sdk::module::{GenesisCtx, ModuleAccount};
use salus_sdk::{
    Address, BlockCtx, BlockInfo, Error, Module, Msg, MsgRouter, SdkCode, StateRead, StateWrite, ValidatorUpdate,
};
use serde::{Deserialize, Serialize};

use super::genesis::{AuthGenesis, GenUtil};

macro_rules! modules {
    (
        modules: [$($field:ident: $Variant:ident => $module:ty),+ $(,)?],
        begin_block: [$($begin:ty),* $(,)?],
        end_block: [$($end:ty),* $(,)?] $(,)?
    ) => {
        /// A decoded message of any module.
        #[derive(Clone, Debug)]
        pub enum AppMsg {
            $($Variant(Box<<$module as Module>::Msg>),)+
        }

        /// Which module a type URL routes to.
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        enum Route {
            $($Variant,)+
        }

        /// Every routed type URL and its module, built once.
        static ROUTES: LazyLock<BTreeMap<String, Route>> = LazyLock::new(|| {
            let mut routes = BTreeMap::new();
            $(for url in <$module as Module>::type_urls() {
                routes.insert(url, Route::$Variant);
            })+
            routes
        });

        /// What decoding needs from state, one field per module.
        #[derive(Clone, Debug, Default)]
        pub struct DecodeLimits {
            $(pub $field: <$module as Module>::DecodeLimits,)+
        }

        impl DecodeLimits {
            pub fn load(state: &impl StateRead) -> Result<Self, Error> {
                Ok(Self { $($field: <$module as Module>::decode_limits(state)?,)+ })
            }
        }

        impl AppMsg {
            /// Decodes a message with the caps in `limits`, checked before the rest is parsed.
            pub fn decode(any: &Any, limits: &DecodeLimits) -> Result<Self, Error> {
                match ROUTES.get(any.type_url.as_str()) {
                    $(Some(Route::$Variant) => {
                        <$module as Module>::decode(any, &limits.$field).map(|m| AppMsg::$Variant(Box::new(m)))
                    })+
                    None => Err(Error::sdk(
                        SdkCode::TxDecode,
                        format!(
                            "unable to resolve type URL {}: this chain does not route that message (tx parse error)",
                            any.type_url
                        ),
                    )),
                }
            }

            /// The module that handles the message, for `message.module`.
            pub fn module(&self) -> &'static str {
                match self {
                    $(AppMsg::$Variant(_) => <$module as Module>::NAME,)+
                }
            }

            pub fn execute(
                &self,
                state: &mut impl StateWrite,
                block: &BlockCtx,
                router: &dyn MsgRouter,
            ) -> Result<(), Error> {
                match self {
                    $(AppMsg::$Variant(m) => <$module as Module>::execute(state, block, router, m),)+
                }
            }

            fn inner(&self) -> &dyn Msg {
                match self {
                    $(AppMsg::$Variant(m) => m.as_ref(),)+
                }
            }
        }

        /// The `app_state` of genesis.json: the tx pipeline's limits, one section per module,
        /// then the gentxs that make the first validators.
        #[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
        #[serde(deny_unknown_fields)]
        pub struct AppGenesis {
            #[serde(default)]
            pub auth: AuthGenesis,
            $(#[serde(default)] pub $field: <$module as Module>::Genesis,)+
            #[serde(default)]
            pub genutil: GenUtil,
        }

        impl AppGenesis {
            pub fn validate(&self) -> Result<(), Error> {
                self.auth.params.validate()?;
                $(<$module as Module>::validate_genesis(&self.$field)?;)+
                self.genutil.decoded().map(|_| ())
            }

            /// Writes every module's section, in list order. Gentxs run after.
            pub fn init(&self, state: &mut impl StateWrite) -> Result<(), Error> {
                self.validate()?;
                let ctx = GenesisCtx { module_accounts: module_accounts() };
                $(<$module as Module>::init_genesis(state, &ctx, &self.$field)?;)+
                Ok(())
            }

            /// Every module's section as `state` holds it (no gentxs: the validators are in it).
            pub fn export(state: &impl StateRead, auth: AuthGenesis) -> Result<Self, Error> {
                Ok(Self {
                    auth,
                    $($field: <$module as Module>::export_genesis(state)?,)+
                    genutil: GenUtil::default(),
                })
            }
        }

        /// Answers a module's query path; `None` if no module serves the path's service.
        pub fn query(state: &impl StateRead, path: &str, request: &[u8]) -> Option<Result<Vec<u8>, Error>> {
            let service = path.strip_prefix('/')?.split_once('/')?.0;
            $(if <$module as Module>::SERVICES.contains(&service) {
                return <$module as Module>::query(state, path, request);
            })+
            None
        }

        /// The begin-block hooks, in consensus order.
        pub fn begin_block(state: &mut impl StateWrite, ctx: &BlockCtx, info: &BlockInfo) -> Result<(), Error> {
            $(<$begin as Module>::begin_block(state, ctx, info)?;)*
            Ok(())
        }

        /// The end-block hooks, in consensus order; their validator-set changes, concatenated.
        pub fn end_block(
            state: &mut impl StateWrite,
            ctx: &BlockCtx,
            router: &dyn MsgRouter,
        ) -> Result<Vec<ValidatorUpdate>, Error> {
            let mut updates = Vec::new();
            $(updates.extend(<$end as Module>::end_block(state, ctx, router)?);)*
            Ok(updates)
        }

        /// After genesis and its gentxs: the first validator set.
        pub fn end_genesis(state: &mut impl StateWrite, ctx: &BlockCtx) -> Result<Vec<ValidatorUpdate>, Error> {
            let mut updates = Vec::new();
            $(updates.extend(<$module as Module>::end_genesis(state, ctx)?);)+
            Ok(updates)
        }

        /// The validator set as committed state has it.
        pub fn validator_set(state: &impl StateRead) -> Result<Vec<ValidatorUpdate>, Error> {
            let mut set = Vec::new();
            $(set.extend(<$module as Module>::validator_set(state)?);)+
            Ok(set)
        }

        /// Every module account of the chain, in list order.
        pub fn module_accounts() -> Vec<ModuleAccount> {
            let mut all = Vec::new();
            $(all.extend(<$module as Module>::module_accounts());)+
            all
        }

        /// Every module's invariants; the first broken one, named by its module.
        pub fn check_invariants(state: &impl StateRead) -> Result<(), Error> {
            $(<$module as Module>::invariants(state).map_err(|e| Error {
                message: format!("module {}: {}", <$module as Module>::NAME, e.message),
                ..e
            })?;)+
            Ok(())
        }

        /// Each module: its name, hooks, services and type URLs (for the list's own tests, reflection
        /// and docs).
        pub fn describe() -> Vec<ModuleInfo> {
            vec![$(ModuleInfo {
                name: <$module as Module>::NAME,
                hooks: <$module as Module>::HOOKS,
                services: <$module as Module>::SERVICES,
                type_urls: <$module as Module>::type_urls(),
            },)+]
        }

        /// Every module's `salusd tx <name>` command, in list order.
        pub fn cli_tx_commands() -> Vec<clap::Command> {
            let mut all = Vec::new();
            $(all.extend(<$module as ModuleCli>::tx_command());)+
            all
        }

        /// Every module's `salusd query <name>` command, in list order.
        pub fn cli_query_commands() -> Vec<clap::Command> {
            let mut all = Vec::new();
            $(all.extend(<$module as ModuleCli>::query_command());)+
            all
        }

        /// Runs `salusd tx <name> ...` (`matches` are those of `tx <name>`): the messages and the
        /// module's gas policy; `None` if no module is called `name`.
        pub fn cli_tx(
            name: &str,
            matches: &clap::ArgMatches,
            ctx: &dyn CliCtx,
        ) -> Option<anyhow::Result<(TxRequest, GasPolicy)>> {
            $(if name == <$module as Module>::NAME {
                let request = <$module as ModuleCli>::tx(matches, ctx);
                return Some(request.map(|r| (r, <$module as ModuleCli>::GAS)));
            })+
            None
        }

        /// Runs `salusd query <name> ...`; `None` if no module is called `name`.
        pub fn cli_query(
            name: &str,
            matches: &clap::ArgMatches,
            ctx: &dyn CliCtx,
        ) -> Option<anyhow::Result<QueryAnswer>> {
            $(if name == <$module as Module>::NAME {
                return Some(<$module as ModuleCli>::query(matches, ctx));
            })+
            None
        }

        /// The modules whose begin-block hooks run, in order.
        pub const BEGIN_BLOCK_ORDER: &[&str] = &[$(<$begin as Module>::NAME),*];
        /// The modules whose end-block hooks run, in order.
        pub const END_BLOCK_ORDER: &[&str] = &[$(<$end as Module>::NAME),*];
    };
}

modules! {
    modules: [
        token: Token => salus_token::TokenModule,
        did: Did => salus_did::DidModule,
        staking: Staking => salus_staking::StakingModule,
        slashing: Slashing => salus_staking::SlashingModule,
        distribution: Distribution => salus_staking::DistributionModule,
        gov: Gov => salus_gov::GovModule,
        upgrade: Upgrade => salus_upgrade::UpgradeModule,
        consensus: Consensus => salus_consensus::ConsensusModule,
        records: Records => salus_records::RecordsModule,
        consent: Consent => salus_consent::ConsentModule,
        ibc: Ibc => salus_ibc::IbcModule,
    ],
    // As Cosmos orders them: rewards for the last block's voters before liveness and evidence
    // change who is bonded.
    begin_block: [salus_staking::DistributionModule, salus_staking::SlashingModule],
    // Governance before staking, as Cosmos orders them: a passed proposal's staking params
    // apply to this block's validator-set update.
    end_block: [salus_gov::GovModule, salus_staking::StakingModule],
}

/// What the list's tests and reflection read of a module.
#[derive(Clone, Debug)]
pub struct ModuleInfo {
    pub name: &'static str,
    pub hooks: salus_sdk::Hooks,
    pub services: &'static [&'static str],
    pub type_urls: Vec<String>,
}

/// How deep routed messages may nest (a proposal whose message submits a proposal, ...).
pub const MAX_ROUTED_DEPTH: u32 = 8;

/// The node's [`MsgRouter`]: the module list's, with the decode caps of the state it runs on.
pub struct AppRouter<'a> {
    pub limits: &'a DecodeLimits,
    /// How many routed messages enclose this one.
    pub depth: u32,
}

impl<'a> AppRouter<'a> {
    pub fn new(limits: &'a DecodeLimits) -> Self {
        Self { limits, depth: 0 }
    }
}

impl MsgRouter for AppRouter<'_> {
    fn signers(&self, any: &Any) -> Result<Vec<Address>, Error> {
        let msg = AppMsg::decode(any, self.limits)?;
        msg.validate_basic()?;
        Ok(msg.signers())
    }

    fn authority(&self, any: &Any) -> Result<Option<Address>, Error> {
        let msg = AppMsg::decode(any, self.limits)?;
        msg.validate_basic()?;
        Ok(msg.authority())
    }

    /// All or nothing: a message that fails leaves no write and no event behind.
    fn execute(&self, state: &mut dyn StateWrite, ctx: &BlockCtx, any: &Any) -> Result<(), Error> {
        if self.depth >= MAX_ROUTED_DEPTH {
            return Err(Error::sdk(
                SdkCode::InvalidRequest,
                format!("routed messages nest deeper than {MAX_ROUTED_DEPTH}: flatten the proposal"),
            ));
        }
        let msg = AppMsg::decode(any, self.limits)?;
        msg.validate_basic()?;
        let inner = AppRouter { limits: self.limits, depth: self.depth + 1 };
        let mut one = salus_sdk::Overlay::new(&*state);
        msg.execute(&mut one, ctx, &inner)?;
        let (writes, events) = one.into_parts();
        salus_sdk::state::apply(&mut &mut *state, writes, events)
    }
}

impl Msg for AppMsg {
    fn type_url(&self) -> String {
        self.inner().type_url()
    }

    fn validate_basic(&self) -> Result<(), Error> {
        self.inner().validate_basic()
    }

    fn signers(&self) -> Vec<Address> {
        self.inner().signers()
    }

    fn authority(&self) -> Option<Address> {
        self.inner().authority()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_and_none_is_a_prefix_of_another() {
        let names: Vec<&str> = describe().iter().map(|m| m.name).collect();
        for (i, a) in names.iter().enumerate() {
            for (j, b) in names.iter().enumerate() {
                if i != j {
                    assert!(
                        !b.starts_with(a),
                        "module name {a} is a prefix of {b}: their keys and codespaces would mix"
                    );
                }
            }
        }
        // The node's own genesis sections, key prefixes and query words are taken too.
        for taken in ["auth", "genutil", "node", "account", "tx"] {
            assert!(!names.contains(&taken), "{taken} is the node's");
        }
    }

    #[test]
    fn type_url_tables_are_disjoint_and_every_url_routes_to_its_module() {
        let mut seen: BTreeMap<String, &str> = BTreeMap::new();
        for m in describe() {
            assert!(!m.type_urls.is_empty(), "{} routes no message", m.name);
            for url in m.type_urls {
                if let Some(other) = seen.insert(url.clone(), m.name) {
                    panic!("{url} is routed by both {other} and {}", m.name);
                }
            }
        }
        assert_eq!(ROUTES.len(), seen.len());
        for (url, name) in seen {
            let any = Any { type_url: url.clone(), value: Vec::new() };
            // An empty body decodes to an all-default message, which its module may refuse (an
            // empty address), but it must reach that module: never "unable to resolve".
            match AppMsg::decode(&any, &DecodeLimits::default()) {
                Ok(msg) => {
                    assert_eq!(msg.module(), name, "{url}");
                    assert_eq!(msg.type_url(), url);
                }
                Err(e) => assert!(!e.message.contains("unable to resolve"), "{url} is not routed: {}", e.message),
            }
        }
    }

    #[test]
    fn every_module_with_hooks_is_placed_in_the_hook_order_and_only_those() {
        for m in describe() {
            assert_eq!(m.hooks.begin_block, BEGIN_BLOCK_ORDER.contains(&m.name), "{}: begin-block order", m.name);
            assert_eq!(m.hooks.end_block, END_BLOCK_ORDER.contains(&m.name), "{}: end-block order", m.name);
        }
        for order in [BEGIN_BLOCK_ORDER, END_BLOCK_ORDER] {
            let mut unique = order.to_vec();
            unique.sort();
            unique.dedup();
            assert_eq!(unique.len(), order.len(), "a module runs its hook twice");
        }
    }

    #[test]
    fn the_genesis_template_names_every_module() {
        let template: serde_json::Value =
            serde_json::from_str(include_str!("../../../../genesis/app_state.template.json")).unwrap();
        for m in describe() {
            assert!(template.get(m.name).is_some(), "genesis/app_state.template.json has no `{}` section", m.name);
        }
        AppGenesis::from_json(template.to_string().as_bytes()).unwrap().validate().unwrap();
    }

    #[test]
    fn services_are_unique_and_module_accounts_distinct() {
        let mut services: Vec<&str> = describe().iter().flat_map(|m| m.services.iter().copied()).collect();
        let n = services.len();
        services.sort();
        services.dedup();
        assert_eq!(services.len(), n, "two modules serve one service");
        let mut accounts: Vec<&str> = module_accounts().iter().map(|a| a.name).collect();
        let n = accounts.len();
        accounts.sort();
        accounts.dedup();
        assert_eq!(accounts.len(), n, "two module accounts share a name");
    }

    #[test]
    fn the_router_runs_any_modules_message_and_refuses_what_it_does_not_route() {
        let dir = tempfile::tempdir().unwrap();
        let storage = salus_store::Storage::open(dir.path()).unwrap();
        let base = storage.snapshot(0);
        let mut state = salus_sdk::Overlay::new(&base);
        let (from, to) = (Address([1; 20]), Address([2; 20]));
        let genesis = AppGenesis::from_json(
            format!(
                r#"{{"token":{{"balances":[{{"address":"{from}","coins":[{{"denom":"usalus","amount":"100"}}]}}]}}}}"#
            )
            .as_bytes(),
        )
        .unwrap();
        genesis.init(&mut state).unwrap();
        let limits = DecodeLimits::load(&state).unwrap();
        let router = AppRouter::new(&limits);
        let send = salus_token::TokenMsg::Send { from, to, amount: "40usalus".parse().unwrap() }.to_any();
        assert_eq!(router.signers(&send).unwrap(), vec![from]);
        let ctx = BlockCtx { chain_id: "t".into(), height: 1, time_secs: 0, time_nanos: 0, header: Default::default() };
        router.execute(&mut state, &ctx, &send).unwrap();
        assert_eq!(salus_token::TokenRead::balance(&state, &to, "usalus").unwrap(), 40);

        let unrouted = Any { type_url: "/cosmos.feegrant.v1beta1.MsgGrantAllowance".into(), value: Vec::new() };
        let e = router.signers(&unrouted).unwrap_err();
        assert!(e.is(SdkCode::TxDecode) && e.message.contains("does not route"), "{e}");
        let empty = salus_token::TokenMsg::Send { from, to, amount: salus_sdk::Coins::default() }.to_any();
        assert!(router.execute(&mut state, &ctx, &empty).is_err(), "validate_basic runs before execute");
        let too_much = salus_token::TokenMsg::Send { from, to, amount: "61usalus".parse().unwrap() }.to_any();
        let before = state.events().len();
        assert!(router.execute(&mut state, &ctx, &too_much).unwrap_err().is(SdkCode::InsufficientFunds));
        assert_eq!(salus_token::TokenRead::balance(&state, &from, "usalus").unwrap(), 60, "nothing moved");
        assert_eq!(state.events().len(), before, "a failed routed message leaves no event");
        let deep = AppRouter { limits: &limits, depth: MAX_ROUTED_DEPTH };
        assert!(deep.execute(&mut state, &ctx, &send).unwrap_err().message.contains("nest deeper"));
    }

    #[test]
    fn every_service_is_in_the_reflection_descriptors() {
        use prost::Message;
        let set = prost_types::FileDescriptorSet::decode(salus_proto::reflection_descriptor_set()).unwrap();
        let declared: Vec<String> = set
            .file
            .iter()
            .flat_map(|f| f.service.iter().map(move |s| format!("{}.{}", f.package(), s.name())))
            .collect();
        for s in crate::app::query::reflection_services() {
            assert!(declared.iter().any(|d| d == s), "service {s} is not in proto/");
        }
    }
}
