// An unmodified cosmjs SigningStargateClient (from npm) against a real Salus chain: CometBFT v0.38
// driving salusd. It reads balances and accounts, simulates, signs SIGN_MODE_DIRECT with a
// secp256k1 HD wallet and broadcasts a MsgSend, exactly as a Cosmos wallet would; and it stakes:
// delegates, queries staking and distribution, withdraws rewards and undelegates.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn, execFileSync } from "node:child_process";
import { mkdtempSync, openSync, existsSync, readFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { DirectSecp256k1HdWallet } from "@cosmjs/proto-signing";
import {
  SigningStargateClient, StargateClient, GasPrice, calculateFee, QueryClient, setupStakingExtension,
  setupDistributionExtension,
} from "@cosmjs/stargate";
import { Comet38Client } from "@cosmjs/tendermint-rpc";
import { toBech32, fromBech32 } from "@cosmjs/encoding";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const salusd = process.env.SALUSD_BIN ?? join(root, "target/debug/salusd");
const cometbft = process.env.COMETBFT_BIN ?? join(root, "bin/cometbft");
const mnemonic = "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about";
const chainId = "salus-cosmjs-1";

const freePort = () =>
  new Promise((resolve) => {
    const s = createServer();
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

let dir, home, rpc, procs = [], demo, valoper;
const clients = [];
const track = (c) => (clients.push(c), c);

before(async () => {
  for (const bin of [salusd, cometbft]) {
    assert.ok(existsSync(bin), `${bin} is missing: run scripts/install.sh and cargo build --bin salusd`);
  }
  dir = mkdtempSync(join(tmpdir(), "salus-cosmjs-"));
  home = join(dir, "node");
  const [p2p, rpcPort, abci, grpc] = [await freePort(), await freePort(), await freePort(), await freePort()];
  const cli = (args, input) => execFileSync(salusd, [...args, "--home", home], { input, encoding: "utf8" });
  cli(["init", "cosmjs", "--chain-id", chainId, "--timeout-commit", "300ms", "--p2p-port", `${p2p}`,
    "--rpc-port", `${rpcPort}`, "--abci-port", `${abci}`, "--grpc-port", `${grpc}`]);
  demo = JSON.parse(cli(["keys", "add", "demo", "--recover", "--output", "json"], mnemonic + "\n")).address;
  cli(["genesis", "add-account", demo, "1000000000usalus"]);
  const validator = JSON.parse(cli(["keys", "add", "validator", "--output", "json"])).address;
  valoper = toBech32("salusvaloper", fromBech32(validator).data);
  cli(["genesis", "add-account", validator, "100000000usalus"]);
  cli(["genesis", "gentx", "validator", "100000000usalus", "--moniker", "cosmjs"]);
  cli(["genesis", "collect-gentxs"]);
  const log = (name) => openSync(join(dir, `${name}.log`), "a");
  procs.push(spawn(salusd, ["start", "--home", home], { stdio: ["ignore", log("salusd"), log("salusd")] }));
  await sleep(500);
  procs.push(spawn(cometbft, ["start", "--home", home], { stdio: ["ignore", log("cometbft"), log("cometbft")] }));
  rpc = `http://127.0.0.1:${rpcPort}`;
  for (let i = 0; i < 200; i++) {
    try {
      const c = await StargateClient.connect(rpc);
      const h = await c.getHeight();
      c.disconnect();
      if (h >= 2) return;
    } catch {}
    await sleep(150);
  }
  throw new Error("no blocks within 30s:\n" + readFileSync(join(dir, "cometbft.log"), "utf8").slice(-2000));
});

after(() => {
  for (const c of clients) c.disconnect();
  for (const p of procs) p.kill("SIGKILL");
});

test("the wallet derives the same address as salusd from the same mnemonic", async () => {
  const wallet = await DirectSecp256k1HdWallet.fromMnemonic(mnemonic, { prefix: "salus" });
  const [account] = await wallet.getAccounts();
  assert.equal(account.address, demo);
});

test("StargateClient reads the chain id, accounts and balances", async () => {
  const client = track(await StargateClient.connect(rpc));
  assert.equal(await client.getChainId(), chainId);
  const balance = await client.getBalance(demo, "usalus");
  assert.equal(balance.amount, "1000000000");
  const account = await client.getAccount(demo);
  assert.equal(account.address, demo);
  assert.equal(account.sequence, 0);
  assert.equal(await client.getAccount(toBech32("salus", new Uint8Array(20).fill(1))), null, "an unknown account is null, not an error");
});

test("SigningStargateClient simulates, signs and broadcasts a MsgSend", async () => {
  const wallet = await DirectSecp256k1HdWallet.fromMnemonic(mnemonic, { prefix: "salus" });
  const client = track(await SigningStargateClient.connectWithSigner(rpc, wallet, { gasPrice: GasPrice.fromString("0.025usalus"), broadcastTimeoutMs: 8000 }));
  const recipient = toBech32("salus", new Uint8Array(20).fill(2));
  const msg = {
    typeUrl: "/cosmos.bank.v1beta1.MsgSend",
    value: { fromAddress: demo, toAddress: recipient, amount: [{ denom: "usalus", amount: "4242" }] },
  };
  const gas = await client.simulate(demo, [msg], "from cosmjs");
  assert.ok(gas > 0, `simulated gas ${gas}`);

  const result = await client.signAndBroadcast(demo, [msg], "auto", "from cosmjs");
  assert.equal(result.code, 0, result.rawLog);
  assert.ok(result.height > 0);
  assert.ok(result.gasUsed > 0n || result.gasUsed > 0);
  const transfer = result.events.filter((e) => e.type === "transfer").at(-1);
  assert.deepEqual(
    transfer.attributes.map((a) => [a.key, a.value]),
    [["recipient", recipient], ["sender", demo], ["amount", "4242usalus"]],
  );

  assert.equal((await client.getBalance(recipient, "usalus")).amount, "4242");
  const fee = calculateFee(Math.round(gas * 1.4), GasPrice.fromString("0.025usalus"));
  const left = BigInt((await client.getBalance(demo, "usalus")).amount);
  assert.equal(left, 1000000000n - 4242n - BigInt(fee.amount[0].amount));
  assert.equal((await client.getAccount(demo)).sequence, 1);

  // sendTokens with an explicit fee, a second time: the sequence moves on.
  const again = await client.sendTokens(demo, recipient, [{ denom: "usalus", amount: "8" }], calculateFee(200000, "0.025usalus"));
  assert.equal(again.code, 0, again.rawLog);
  assert.equal((await client.getBalance(recipient, "usalus")).amount, "4250");
});

test("a broadcast the chain rejects comes back with its code and log", async () => {
  const wallet = await DirectSecp256k1HdWallet.fromMnemonic(mnemonic, { prefix: "salus" });
  const client = track(await SigningStargateClient.connectWithSigner(rpc, wallet, { broadcastTimeoutMs: 8000 }));
  const msg = {
    typeUrl: "/cosmos.bank.v1beta1.MsgSend",
    value: { fromAddress: demo, toAddress: demo, amount: [{ denom: "usalus", amount: "99999999999999" }] },
  };
  await assert.rejects(
    client.signAndBroadcast(demo, [msg], calculateFee(200000, "0.025usalus")),
    (err) => /insufficient funds/.test(err.message) && /code 5/.test(err.message),
  );
});

test("cosmjs delegates, reads staking and distribution queries, withdraws rewards and undelegates", async () => {
  const wallet = await DirectSecp256k1HdWallet.fromMnemonic(mnemonic, { prefix: "salus" });
  const client = track(await SigningStargateClient.connectWithSigner(rpc, wallet, { gasPrice: GasPrice.fromString("0.025usalus"), broadcastTimeoutMs: 8000 }));
  const tm = await Comet38Client.connect(rpc);
  clients.push(tm);
  const q = QueryClient.withExtensions(tm, setupStakingExtension, setupDistributionExtension);

  const { validators } = await q.staking.validators("BOND_STATUS_BONDED");
  assert.equal(validators.length, 1);
  assert.equal(validators[0].operatorAddress, valoper);
  assert.equal(validators[0].tokens, "100000000");

  const delegated = await client.delegateTokens(demo, valoper, { denom: "usalus", amount: "5000000" }, "auto");
  assert.equal(delegated.code, 0, delegated.rawLog);
  const { delegationResponse } = await q.staking.delegation(demo, valoper);
  assert.equal(delegationResponse.balance.amount, "5000000");
  const params = await q.staking.params();
  assert.ok(params.params.historicalEntries > 0);

  await sleep(1500); // a few blocks of rewards
  const rewards = await q.distribution.delegationRewards(demo, valoper);
  assert.ok(rewards.rewards.length === 1 && BigInt(rewards.rewards[0].amount) > 0n, JSON.stringify(rewards));
  const withdrawn = await client.withdrawRewards(demo, valoper, "auto");
  assert.equal(withdrawn.code, 0, withdrawn.rawLog);
  assert.ok(withdrawn.events.some((e) => e.type === "withdraw_rewards"));

  const undelegated = await client.undelegateTokens(demo, valoper, { denom: "usalus", amount: "2000000" }, "auto");
  assert.equal(undelegated.code, 0, undelegated.rawLog);
  const { unbond } = await q.staking.unbondingDelegation(demo, valoper);
  assert.equal(unbond.entries[0].balance, "2000000");
});
