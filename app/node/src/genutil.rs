//! Genesis transactions: a validator signs its `MsgCreateValidator` before the chain exists
//! (`gentx`), and the genesis collects them (`collect-gentxs`); InitChain runs them.

use anyhow::{anyhow, bail, Context, Result};
use salus_sdk::Coins;

use crate::home::{self, Home};

/// Signs a `MsgCreateValidator` for this node's consensus key, bonding `amount` of `key`'s genesis
/// balance, and writes it to config/gentx. Signed with account number 0 and sequence 0, as every
/// gentx is: accounts have no numbers before genesis.
pub fn gentx(
    home: &Home,
    key: &crate::keyring::Key,
    amount: &str,
    args: &salus_staking::cli::ValidatorArgs,
) -> Result<std::path::PathBuf> {
    use salus_sdk::Msg;
    let chain_id = home::genesis_chain_id(home)
        .ok_or_else(|| anyhow!("no genesis in {}: run `salusd init` first", home.0.display()))?;
    let msg = args.to_msg(key.address, amount, || home::consensus_pubkey(home))?;
    msg.validate_basic().map_err(|e| anyhow!(e.message))?;
    let want: salus_sdk::Coin = amount.parse().map_err(|e: salus_sdk::Error| anyhow!(e.message))?;
    let genesis = home::read_json(&home.genesis())?;
    let app_state = crate::app::genesis::AppGenesis::from_json(genesis["app_state"].to_string().as_bytes())
        .map_err(|e| anyhow!("{}: {}", home.genesis().display(), e.message))?;
    let balances = app_state.token.validated_balances().map_err(|e| anyhow!(e.message))?;
    let addr = key.address;
    let held = balances.iter().find(|(a, _)| *a == addr).map_or(0, |(_, coins)| coins.amount_of(&want.denom));
    if held < want.amount {
        bail!(
            "{addr} has {held}{} in genesis but would bond {want}: `salusd genesis add-account {addr} <coins>` first",
            want.denom
        );
    }
    let gas = 200_000;
    let params = crate::client::TxParams {
        chain_id,
        gas: crate::client::GasSetting::Fixed(gas),
        fees: Some(Coins::empty()),
        gas_prices: None,
        memo: String::new(),
        timeout_height: 0,
        account_number: Some(0),
        sequence: Some(0),
    };
    let tx = crate::client::sign_tx(key, vec![msg.to_any()], &params, gas, &Coins::empty(), 0, 0);
    let dir = home.config("gentx");
    std::fs::create_dir_all(&dir)?;
    let path = dir.join(format!("gentx-{}.json", key.address.to_valoper()));
    use base64::Engine;
    home::write_json(
        &path,
        &serde_json::json!({
            "validator": key.address.to_valoper(),
            "amount": amount,
            "tx": base64::engine::general_purpose::STANDARD.encode(tx),
        }),
    )?;
    Ok(path)
}

/// Writes every gentx file of `dir` (in file-name order) into genesis.json's `genutil.gen_txs`.
pub fn collect_gentxs(home: &Home, dir: &std::path::Path) -> Result<usize> {
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .with_context(|| format!("reading {}: run `salusd genesis gentx` first", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    if files.is_empty() {
        bail!("no gentx files in {}: run `salusd genesis gentx` first", dir.display());
    }
    let mut txs = Vec::new();
    for f in &files {
        let tx = home::read_json(f)?["tx"]
            .as_str()
            .ok_or_else(|| anyhow!("{} has no `tx` field: is it a gentx?", f.display()))?
            .to_string();
        txs.push(serde_json::Value::String(tx));
    }
    let path = home.genesis();
    let mut genesis = home::read_json(&path)?;
    genesis["app_state"]["genutil"] = serde_json::json!({ "gen_txs": txs });
    genesis["validators"] = serde_json::json!([]);
    let app_state = genesis["app_state"].to_string();
    crate::app::genesis::AppGenesis::from_json(app_state.as_bytes())
        .and_then(|g| g.validate())
        .map_err(|e| anyhow!("{} would not start: {}", path.display(), e.message))?;
    home::write_json(&path, &genesis)?;
    Ok(txs.len())
}
