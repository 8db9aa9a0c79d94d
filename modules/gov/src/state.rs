//! Reading and writing governance state. [`GovRead`] is public; the setters, which keep the
//! indexes (status, voter, depositor) and queues in step with the records, are crate-private.

use salus_sdk::{Address, Error, StateRead, StateReadExt, StateWrite, StateWriteExt, Time};

use crate::keys;
use crate::params::Params;
use crate::types::{Deposit, Proposal, StoredAny, Vote};

pub trait GovRead: StateRead {
    fn gov_params(&self) -> Result<Params, Error> {
        Ok(self.get(keys::PARAMS)?.unwrap_or_default())
    }

    /// The id the next proposal gets.
    fn next_proposal_id(&self) -> Result<u64, Error> {
        Ok(self.get(keys::NEXT_PROPOSAL_ID)?.unwrap_or(1))
    }

    fn constitution(&self) -> Result<String, Error> {
        Ok(self.get(keys::CONSTITUTION)?.unwrap_or_default())
    }

    /// A proposal with its messages (queries, export, tests).
    fn proposal(&self, id: u64) -> Result<Option<Proposal>, Error> {
        let Some(mut p) = self.proposal_header(id)? else { return Ok(None) };
        p.messages = self.proposal_messages(id)?;
        Ok(Some(p))
    }

    /// A proposal without its messages: what a vote, a deposit or a hook needs, at the cost of a
    /// small read whatever the proposal carries.
    fn proposal_header(&self, id: u64) -> Result<Option<Proposal>, Error> {
        self.get(&keys::proposal(id))
    }

    fn proposal_messages(&self, id: u64) -> Result<Vec<StoredAny>, Error> {
        Ok(self.get(&keys::messages(id))?.unwrap_or_default())
    }

    fn deposit(&self, id: u64, depositor: &Address) -> Result<Option<Deposit>, Error> {
        self.get(&keys::deposit(id, depositor))
    }

    /// Every deposit of a proposal, by depositor: each was a paid tx.
    fn deposits_of(&self, id: u64) -> Result<Vec<Deposit>, Error> {
        Ok(self.prefix::<Deposit>(&keys::deposits_of(id))?.into_iter().map(|(_, d)| d).collect())
    }

    fn vote(&self, id: u64, voter: &Address) -> Result<Option<Vote>, Error> {
        self.get(&keys::vote(id, voter))
    }

    /// Every vote of a proposal, by voter: each was a paid tx.
    fn votes_of(&self, id: u64) -> Result<Vec<Vote>, Error> {
        Ok(self.prefix::<Vote>(&keys::votes_of(id))?.into_iter().map(|(_, v)| v).collect())
    }

    /// The entries of `queue` that end at or before `t`, oldest first: (key, proposal id).
    fn due(&self, queue: &[u8], t: Time) -> Result<Vec<(Vec<u8>, u64)>, Error> {
        let until = keys::queue_until(queue, t);
        let entries = self.range_raw(queue, queue, &until)?;
        Ok(entries.into_iter().filter_map(|(k, _)| keys::queue_id(&k).map(|id| (k, id))).collect())
    }
}

impl<S: StateRead + ?Sized> GovRead for S {}

pub(crate) trait GovStore: StateWrite {
    fn set_gov_params(&mut self, params: &Params) -> Result<(), Error> {
        self.put(keys::PARAMS.to_vec(), params)
    }

    fn set_next_proposal_id(&mut self, id: u64) -> Result<(), Error> {
        self.put(keys::NEXT_PROPOSAL_ID.to_vec(), &id)
    }

    fn set_constitution(&mut self, text: &str) -> Result<(), Error> {
        self.put(keys::CONSTITUTION.to_vec(), &text.to_string())
    }

    /// Writes the proposal without its messages and moves its status index entry.
    fn set_proposal(&mut self, p: &Proposal) -> Result<(), Error> {
        if let Some(old) = self.proposal_header(p.id)? {
            if old.status != p.status {
                self.delete_raw(keys::by_status(old.status as u8, p.id))?;
            }
        }
        self.put_raw(keys::by_status(p.status as u8, p.id), Vec::new())?;
        let header = Proposal { messages: Vec::new(), ..p.clone() };
        self.put(keys::proposal(p.id), &header)
    }

    /// A new proposal: its record and, once, its messages.
    fn create_proposal(&mut self, p: &Proposal) -> Result<(), Error> {
        self.set_proposal(p)?;
        if !p.messages.is_empty() {
            self.put(keys::messages(p.id), &p.messages)?;
        }
        Ok(())
    }

    fn delete_proposal(&mut self, p: &Proposal) -> Result<(), Error> {
        self.delete_raw(keys::by_status(p.status as u8, p.id))?;
        self.delete_raw(keys::messages(p.id))?;
        self.delete_raw(keys::proposal(p.id))
    }

    fn set_deposit(&mut self, d: &Deposit) -> Result<(), Error> {
        self.put_raw(keys::by_depositor(&d.depositor, d.proposal_id), Vec::new())?;
        self.put(keys::deposit(d.proposal_id, &d.depositor), d)
    }

    fn delete_deposit(&mut self, d: &Deposit) -> Result<(), Error> {
        self.delete_raw(keys::by_depositor(&d.depositor, d.proposal_id))?;
        self.delete_raw(keys::deposit(d.proposal_id, &d.depositor))
    }

    fn set_vote(&mut self, v: &Vote) -> Result<(), Error> {
        self.put_raw(keys::by_voter(&v.voter, v.proposal_id), Vec::new())?;
        self.put(keys::vote(v.proposal_id, &v.voter), v)
    }

    fn delete_votes(&mut self, id: u64) -> Result<(), Error> {
        for v in self.votes_of(id)? {
            self.delete_raw(keys::by_voter(&v.voter, id))?;
            self.delete_raw(keys::vote(id, &v.voter))?;
        }
        Ok(())
    }

    fn enqueue(&mut self, queue: &[u8], end: Time, id: u64) -> Result<(), Error> {
        self.put_raw(keys::queue_entry(queue, end, id), Vec::new())
    }

    fn dequeue(&mut self, queue: &[u8], end: Time, id: u64) -> Result<(), Error> {
        self.delete_raw(keys::queue_entry(queue, end, id))
    }
}

impl<S: StateWrite + ?Sized> GovStore for S {}
