// An unmodified cosmjs SigningStargateClient (from npm) against a real Salus chain: CometBFT v0.38
// driving salusd. It reads balances and accounts, simulates, signs SIGN_MODE_DIRECT with a
// secp256k1 HD wallet and broadcasts a MsgSend, exactly as a Cosmos wallet would; and it stakes:
// delegates, queries staking and distribution, withdraws rewards and undelegates; and it governs:
// a v1beta1 text proposal is submitted, voted on (plain and weighted), queried and passes.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn, execFileSync } from "node:child_process";
import { mkdtempSync, openSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { DirectSecp256k1HdWallet } from "@cosmjs/proto-signing";
import {
  SigningStargateClient, StargateClient, GasPrice, calculateFee, QueryClient, setupStakingExtension,
  setupDistributionExtension, setupGovExtension,
} from "@cosmjs/stargate";
import { Comet38Client } from "@cosmjs/tendermint-rpc";
import { toBech32, fromBech32, fromAscii } from "@cosmjs/encoding";
import { Decimal } from "@cosmjs/math";
import { TextProposal, ProposalStatus, VoteOption } from "cosmjs-types/cosmos/gov/v1beta1/gov.js";
import { QueryProposalRequest, QueryProposalResponse } from "cosmjs-types/cosmos/gov/v1/query.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const salusd = process.env.SALUSD_BIN ?? join(root, "target/debug/salusd");
const cometbft = process.env.COMETBFT_BIN ?? join(root, "bin/cometbft");
const mnemonic = "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about";
// The validator's operator key, known so that cosmjs can vote with it (a validator votes from it).
const validatorMnemonic = "legal winner thank year wave sausage worth useful legal winner thank yellow";
const chainId = "salus-cosmjs-1";
// Governance periods short enough to see a proposal through in the test.
const votingPeriodSecs = 8;

const freePort = () =>
  new Promise((resolve) => {
    const s = createServer();
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

let dir, home, rpc, procs = [], demo, validator, valoper;
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
  validator = JSON.parse(cli(["keys", "add", "validator", "--recover", "--output", "json"], validatorMnemonic + "\n")).address;
  valoper = toBech32("salusvaloper", fromBech32(validator).data);
  cli(["genesis", "add-account", validator, "200000000usalus"]); // half bonded, half to pay fees
  cli(["genesis", "gentx", "validator", "100000000usalus", "--moniker", "cosmjs"]);
  cli(["genesis", "collect-gentxs"]);
  const genesisPath = join(home, "config", "genesis.json");
  const genesis = JSON.parse(readFileSync(genesisPath, "utf8"));
  Object.assign(genesis.app_state.gov.params, {
    max_deposit_period_secs: 20, voting_period_secs: votingPeriodSecs, expedited_voting_period_secs: 4,
  });
  writeFileSync(genesisPath, JSON.stringify(genesis, null, 2));
  cli(["genesis", "validate"]);
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

test("cosmjs submits a v1beta1 text proposal, votes (plain and weighted), queries gov and sees it pass", async () => {
  const gasPrice = GasPrice.fromString("0.025usalus");
  // Poll for inclusion every 300 ms, not cosmjs's 3 s: the whole voting period is 8 s.
  const opts = { gasPrice, broadcastTimeoutMs: 8000, broadcastPollIntervalMs: 300 };
  const demoClient = track(await SigningStargateClient.connectWithSigner(
    rpc, await DirectSecp256k1HdWallet.fromMnemonic(mnemonic, { prefix: "salus" }), opts));
  const valWallet = await DirectSecp256k1HdWallet.fromMnemonic(validatorMnemonic, { prefix: "salus" });
  assert.equal((await valWallet.getAccounts())[0].address, validator);
  const valClient = track(await SigningStargateClient.connectWithSigner(rpc, valWallet, opts));
  const tm = await Comet38Client.connect(rpc);
  clients.push(tm);
  const q = QueryClient.withExtensions(tm, setupGovExtension, setupStakingExtension);

  // The params cosmjs reads: the shortened periods, the min deposit, and LegacyDec tally params.
  const { depositParams } = await q.gov.params("deposit");
  assert.deepEqual(depositParams.minDeposit, [{ denom: "usalus", amount: "10000000" }]);
  assert.equal(depositParams.maxDepositPeriod.seconds, 20n);
  const { votingParams } = await q.gov.params("voting");
  assert.equal(votingParams.votingPeriod.seconds, BigInt(votingPeriodSecs));
  const { tallyParams } = await q.gov.params("tallying");
  // v1beta1's LegacyDec bytes are the atomics (18 decimals) as ASCII, as Cosmos sends them.
  assert.equal(fromAscii(tallyParams.quorum), "334000000000000000");
  assert.equal(Decimal.fromAtomics(fromAscii(tallyParams.quorum), 18).toString(), "0.334");
  assert.equal(Decimal.fromAtomics(fromAscii(tallyParams.threshold), 18).toString(), "0.5");
  assert.equal(Decimal.fromAtomics(fromAscii(tallyParams.vetoThreshold), 18).toString(), "0.334");

  // 1. Submit with the full min deposit: straight to the voting period.
  const deposit = [{ denom: "usalus", amount: "10000000" }];
  const title = "Adopt the Salus data charter";
  const description = "A text proposal from cosmjs: it decides something and runs nothing.";
  const submit = {
    typeUrl: "/cosmos.gov.v1beta1.MsgSubmitProposal",
    value: {
      content: { typeUrl: "/cosmos.gov.v1beta1.TextProposal", value: TextProposal.encode({ title, description }).finish() },
      initialDeposit: deposit,
      proposer: demo,
    },
  };
  const submitted = await demoClient.signAndBroadcast(demo, [submit], "auto");
  assert.equal(submitted.code, 0, submitted.rawLog);
  const attr = (events, type, key) =>
    events.filter((e) => e.type === type).flatMap((e) => e.attributes).find((a) => a.key === key)?.value;
  const id = attr(submitted.events, "submit_proposal", "proposal_id");
  assert.match(id ?? "", /^[1-9][0-9]*$/, JSON.stringify(submitted.events));
  assert.equal(attr(submitted.events, "submit_proposal", "proposal_proposer"), demo);
  assert.equal(attr(submitted.events, "proposal_deposit", "amount"), "10000000usalus");

  // 2. Read it back with the v1beta1 queries.
  const { proposal } = await q.gov.proposal(id);
  assert.equal(proposal.proposalId, BigInt(id));
  assert.equal(proposal.status, ProposalStatus.PROPOSAL_STATUS_VOTING_PERIOD);
  assert.equal(proposal.content.typeUrl, "/cosmos.gov.v1beta1.TextProposal");
  assert.deepEqual(TextProposal.decode(proposal.content.value), { title, description });
  assert.deepEqual(proposal.totalDeposit, deposit);
  const start = Number(proposal.votingStartTime.seconds), end = Number(proposal.votingEndTime.seconds);
  assert.equal(end - start, votingPeriodSecs);
  const ids = (r) => r.proposals.map((p) => p.proposalId);
  assert.deepEqual(ids(await q.gov.proposals(ProposalStatus.PROPOSAL_STATUS_VOTING_PERIOD, "", "")), [BigInt(id)]);
  assert.deepEqual(ids(await q.gov.proposals(ProposalStatus.PROPOSAL_STATUS_PASSED, "", "")), []);
  assert.deepEqual(ids(await q.gov.proposals(ProposalStatus.PROPOSAL_STATUS_UNSPECIFIED, demo, "")), [BigInt(id)]);
  assert.deepEqual(ids(await q.gov.proposals(ProposalStatus.PROPOSAL_STATUS_UNSPECIFIED, validator, "")), [],
    "the validator deposited nothing");
  assert.deepEqual(ids(await q.gov.proposals(ProposalStatus.PROPOSAL_STATUS_UNSPECIFIED, "", validator)), [],
    "nobody has voted yet");

  // The v1 view of the same proposal, by a raw ABCI query with cosmjs-types' v1 codecs.
  const raw = await q.queryAbci("/cosmos.gov.v1.Query/Proposal", QueryProposalRequest.encode({ proposalId: BigInt(id) }).finish());
  const v1 = QueryProposalResponse.decode(raw.value).proposal;
  assert.equal(v1.id, BigInt(id));
  assert.equal(v1.title, title);
  assert.equal(v1.summary, description);
  assert.deepEqual(v1.messages, []);
  assert.equal(v1.proposer, demo);
  assert.equal(v1.metadata, "");
  assert.deepEqual(v1.totalDeposit, deposit);
  // (cosmjs-types 0.9 has SDK v0.47's v1 types: no `expedited` or `failed_reason` to decode.)
  assert.equal(v1.status, 2); // v1's PROPOSAL_STATUS_VOTING_PERIOD

  // 3. The validator votes Yes; the demo account splits its vote 0.7 Yes / 0.3 Abstain.
  const yes = await valClient.signAndBroadcast(validator, [{
    typeUrl: "/cosmos.gov.v1beta1.MsgVote",
    value: { proposalId: BigInt(id), voter: validator, option: VoteOption.VOTE_OPTION_YES },
  }], "auto");
  assert.equal(yes.code, 0, yes.rawLog);
  assert.equal(attr(yes.events, "proposal_vote", "voter"), validator);
  const weight = (d) => Decimal.fromUserInput(d, 18).atomics; // LegacyDec, as cosmjs encodes it
  const split = await demoClient.signAndBroadcast(demo, [{
    typeUrl: "/cosmos.gov.v1beta1.MsgVoteWeighted",
    value: {
      proposalId: BigInt(id), voter: demo,
      options: [{ option: VoteOption.VOTE_OPTION_YES, weight: weight("0.7") }, { option: VoteOption.VOTE_OPTION_ABSTAIN, weight: weight("0.3") }],
    },
  }], "auto");
  assert.equal(split.code, 0, split.rawLog);
  const demoAfterVote = BigInt((await demoClient.getBalance(demo, "usalus")).amount);

  const { vote } = await q.gov.vote(id, validator);
  assert.equal(vote.voter, validator);
  assert.deepEqual(vote.options, [{ option: VoteOption.VOTE_OPTION_YES, weight: "1000000000000000000" }]);
  const { votes } = await q.gov.votes(id);
  const byVoter = Object.fromEntries(votes.map((v) => [v.voter, v.options]));
  assert.deepEqual(Object.keys(byVoter).sort(), [demo, validator].sort());
  assert.deepEqual(byVoter[demo], [
    { option: VoteOption.VOTE_OPTION_YES, weight: "700000000000000000" },
    { option: VoteOption.VOTE_OPTION_ABSTAIN, weight: "300000000000000000" },
  ]);
  assert.deepEqual(ids(await q.gov.proposals(ProposalStatus.PROPOSAL_STATUS_UNSPECIFIED, "", validator)), [BigInt(id)]);

  // The live tally: the validator's Yes carries its bonded stake less the demo account's
  // delegation (if the staking test left one), which counts with the demo account's own split.
  const { validator: v } = await q.staking.validator(valoper);
  const tokens = BigInt(v.tokens);
  let delegated = 0n;
  try {
    delegated = BigInt((await q.staking.delegation(demo, valoper)).delegationResponse.balance.amount);
  } catch {}
  const expected = {
    yes: String(tokens - delegated + (delegated * 7n) / 10n),
    abstain: String((delegated * 3n) / 10n),
    no: "0",
    noWithVeto: "0",
  };
  const { tally } = await q.gov.tally(id);
  assert.deepEqual(tally, expected);
  assert.ok(BigInt(tally.yes) >= 100000000n - delegated, `the validator's Yes counts its stake: ${JSON.stringify(tally)}`);

  const { deposits } = await q.gov.deposits(id);
  assert.deepEqual(deposits, [{ proposalId: BigInt(id), depositor: demo, amount: deposit }]);

  // 4. Wait for the end of the voting period: it passes and the deposit comes back.
  const deadline = Date.now() + (votingPeriodSecs + 20) * 1000;
  let done;
  for (;;) {
    done = (await q.gov.proposal(id)).proposal;
    if (done.status !== ProposalStatus.PROPOSAL_STATUS_VOTING_PERIOD) break;
    assert.ok(Date.now() < deadline, "the voting period did not end in time");
    await sleep(400);
  }
  assert.equal(done.status, ProposalStatus.PROPOSAL_STATUS_PASSED);
  assert.deepEqual(done.finalTallyResult, expected);
  assert.deepEqual(ids(await q.gov.proposals(ProposalStatus.PROPOSAL_STATUS_PASSED, "", "")), [BigInt(id)]);
  const refunded = BigInt((await demoClient.getBalance(demo, "usalus")).amount);
  assert.equal(refunded - demoAfterVote, 10000000n, "the deposit is refunded");
  assert.deepEqual((await q.gov.deposits(id)).deposits, [], "refunded deposits are deleted, as in Cosmos");
  assert.deepEqual((await q.gov.votes(id)).votes, [], "the tally removes the votes, as in Cosmos");
  const v1Done = QueryProposalResponse.decode(
    (await q.queryAbci("/cosmos.gov.v1.Query/Proposal", QueryProposalRequest.encode({ proposalId: BigInt(id) }).finish())).value,
  ).proposal;
  assert.equal(v1Done.status, 3); // v1's PROPOSAL_STATUS_PASSED
  assert.deepEqual(v1Done.finalTallyResult, {
    yesCount: expected.yes, abstainCount: expected.abstain, noCount: "0", noWithVetoCount: "0",
  });
});
