//! The one table of routed messages: an `Any` becomes an [`AppMsg`] here, and the exhaustive
//! match in [`AppMsg::execute`] means an unrouted message does not compile.

use salus_did::DidMsg;
use salus_proto::Any;
use salus_sdk::{Address, BlockCtx, Error, Msg, SdkCode, StateWrite};
use salus_staking::StakingMsg;
use salus_token::TokenMsg;

#[derive(Clone, Debug)]
pub enum AppMsg {
    Token(TokenMsg),
    Did(Box<DidMsg>),
    Staking(Box<StakingMsg>),
}

impl AppMsg {
    /// Decodes a message; `token` holds the transfer size caps, checked before the rest is parsed.
    pub fn decode(any: &Any, token: &salus_token::Params) -> Result<Self, Error> {
        let url = any.type_url.as_str();
        if TokenMsg::TYPE_URLS.contains(&url) {
            return TokenMsg::decode(any, token).map(AppMsg::Token);
        }
        if DidMsg::TYPE_URLS.contains(&url) {
            return DidMsg::decode(any).map(|m| AppMsg::Did(Box::new(m)));
        }
        if StakingMsg::TYPE_URLS.contains(&url) {
            return StakingMsg::decode(any).map(|m| AppMsg::Staking(Box::new(m)));
        }
        Err(Error::sdk(
            SdkCode::TxDecode,
            format!("unable to resolve type URL {url}: this chain does not route that message (tx parse error)"),
        ))
    }

    /// The module that handles the message, for `message.module`.
    pub fn module(&self) -> &'static str {
        match self {
            AppMsg::Token(_) => salus_token::NAME,
            AppMsg::Did(_) => salus_did::NAME,
            AppMsg::Staking(m) => m.module(),
        }
    }

    pub fn execute(&self, state: &mut impl StateWrite, block: &BlockCtx) -> Result<(), Error> {
        match self {
            AppMsg::Token(m) => salus_token::handler::execute(state, m),
            AppMsg::Did(m) => salus_did::handler::execute(state, block, m),
            AppMsg::Staking(m) => salus_staking::handler::execute(state, block, m),
        }
    }

    fn inner(&self) -> &dyn Msg {
        match self {
            AppMsg::Token(m) => m,
            AppMsg::Did(m) => m.as_ref(),
            AppMsg::Staking(m) => m.as_ref(),
        }
    }
}

impl Msg for AppMsg {
    fn type_url(&self) -> &'static str {
        self.inner().type_url()
    }

    fn validate_basic(&self) -> Result<(), Error> {
        self.inner().validate_basic()
    }

    fn signers(&self) -> Vec<Address> {
        self.inner().signers()
    }
}
