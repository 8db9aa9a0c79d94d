//! A node killed after FinalizeBlock but before Commit restarts at the last committed height; when
//! CometBFT replays the block, it reaches the same app hash.

mod support;

use support::*;

#[test]
fn a_crash_between_finalize_and_commit_replays_to_the_same_hash() {
    let mut chain = TestChain::new();
    let (alice, bob) = (key(1), key(3));
    chain.block(vec![]);
    let committed = chain.app_hash();
    let tx = sign(&alice, vec![send_msg(&alice.address, &bob.address, "77")], &chain.spec(&alice));
    let (_, finalized) = chain.finalize(vec![tx.clone()]);

    // "Crash": drop the app without Commit, reopen the same store.
    let path = chain.dir.path().to_path_buf();
    // RocksDB holds a lock on the directory: swap in an app on a scratch store so the first one
    // is dropped (its pending block lost) before the real store is opened again.
    let scratch = tempfile::tempdir().unwrap();
    drop(std::mem::replace(&mut chain.app, open_app(scratch.path())));
    chain.app = open_app(&path);
    let (height, hash) = chain.app.last_committed().unwrap().unwrap();
    assert_eq!((height, hash), (1, committed), "restarted at the last committed height");
    assert_eq!(chain.balance(&bob.address), 0);

    chain.height = height;
    let (_, replayed) = chain.finalize(vec![tx]);
    assert_eq!(replayed, finalized, "the replayed block reaches the same app hash");
    chain.app.commit().unwrap();
    assert_eq!(chain.balance(&bob.address), 77);
}
