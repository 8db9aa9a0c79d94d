//! The one table of routed messages: an `Any` becomes an [`AppMsg`] here, and the exhaustive
//! match in [`AppMsg::execute`] means an unrouted message does not compile.

use salus_proto::Any;
use salus_sdk::{Address, Error, Msg, SdkCode, StateWrite};
use salus_token::TokenMsg;

#[derive(Clone, Debug)]
pub enum AppMsg {
    Token(TokenMsg),
}

impl AppMsg {
    pub fn decode(any: &Any) -> Result<Self, Error> {
        let url = any.type_url.as_str();
        if TokenMsg::TYPE_URLS.contains(&url) {
            return TokenMsg::decode(any).map(AppMsg::Token);
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
        }
    }

    pub fn execute(&self, state: &mut impl StateWrite) -> Result<(), Error> {
        match self {
            AppMsg::Token(m) => salus_token::handler::execute(state, m),
        }
    }

    fn inner(&self) -> &dyn Msg {
        match self {
            AppMsg::Token(m) => m,
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
