//! Errors of staking (codespace `staking`), slashing (`slashing`) and distribution
//! (`distribution`), with Cosmos SDK's codes where Cosmos has the same error.

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u32)]
pub enum StakingError {
    NoValidatorFound = 3,
    ValidatorOwnerExists = 4,
    ValidatorPubKeyExists = 5,
    ValidatorPubKeyTypeNotSupported = 6,
    ValidatorJailed = 7,
    InvalidDescription = 8,
    InvalidCommission = 9,
    CommissionGTMaxRate = 11,
    CommissionUpdateTime = 12,
    CommissionChangeRate = 13,
    SelfDelegationBelowMinimum = 14,
    MinSelfDelegationDecreased = 15,
    NoDelegation = 19,
    BadDenom = 20,
    InsufficientShares = 22,
    BadSharesAmount = 24,
    NoUnbondingDelegation = 25,
    MaxUnbondingEntries = 26,
    BadRedelegationDst = 29,
    TransitiveRedelegation = 30,
    MaxRedelegationEntries = 31,
    SelfRedelegation = 33,
    TinyRedelegationAmount = 34,
    BadAmount = 35,
    CommissionLTMinRate = 40,
    UnbondingEntryNotFound = 41,
    DelegatorShareExRateInvalid = 42,
    InvalidGenesis = 44,
}

salus_sdk::error_codes!(StakingError, crate::NAME);

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u32)]
pub enum SlashingError {
    NoValidatorForAddress = 2,
    ValidatorNotJailed = 5,
    MissingSelfDelegation = 6,
    SelfDelegationTooLowToUnjail = 7,
    NoSigningInfoFound = 8,
    ValidatorTombstoned = 9,
    ValidatorJailedUntil = 10,
}

salus_sdk::error_codes!(SlashingError, crate::SLASHING);

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u32)]
pub enum DistributionError {
    EmptyDelegationDistInfo = 4,
    NoValidatorExists = 7,
    NoValidatorCommission = 10,
    NoDelegationExists = 12,
    SetWithdrawAddrDisabled = 14,
    /// A community pool spend of more than the pool holds (Cosmos' `ErrBadDistribution`).
    BadDistribution = 9,
}

salus_sdk::error_codes!(DistributionError, crate::DISTRIBUTION);
