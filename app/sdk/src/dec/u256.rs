//! A small 256-bit unsigned integer: the atomics of a [`super::Dec`], wide enough for any `u128`
//! amount times 10^18, with a 512-bit intermediate for `a * b / d`. Only what decimals need.

use std::cmp::Ordering;

use borsh::{BorshDeserialize, BorshSerialize};

/// `hi * 2^128 + lo`. Borsh writes it as 32 bytes, little-endian (`lo` first).
#[derive(Clone, Copy, Default, PartialEq, Eq, Hash, BorshSerialize, BorshDeserialize)]
pub struct U256 {
    lo: u128,
    hi: u128,
}

impl Ord for U256 {
    fn cmp(&self, o: &Self) -> Ordering {
        (self.hi, self.lo).cmp(&(o.hi, o.lo))
    }
}

impl PartialOrd for U256 {
    fn partial_cmp(&self, o: &Self) -> Option<Ordering> {
        Some(self.cmp(o))
    }
}

impl From<u128> for U256 {
    fn from(v: u128) -> Self {
        U256::from_u128(v)
    }
}

/// The 256-bit product of two u128s, as (high, low) halves.
pub(crate) fn mul_u128(a: u128, b: u128) -> (u128, u128) {
    let mask = u64::MAX as u128;
    let (a_hi, a_lo) = (a >> 64, a & mask);
    let (b_hi, b_lo) = (b >> 64, b & mask);
    let ll = a_lo * b_lo;
    let lh = a_lo * b_hi;
    let hl = a_hi * b_lo;
    let hh = a_hi * b_hi;
    let mid = (ll >> 64) + (lh & mask) + (hl & mask);
    let lo = (ll & mask) | (mid << 64);
    let hi = hh + (lh >> 64) + (hl >> 64) + (mid >> 64);
    (hi, lo)
}

impl U256 {
    pub const ZERO: U256 = U256 { lo: 0, hi: 0 };
    pub const MAX: U256 = U256 { lo: u128::MAX, hi: u128::MAX };

    pub const fn from_u128(v: u128) -> U256 {
        U256 { lo: v, hi: 0 }
    }

    /// `hi * 2^128 + lo`.
    pub const fn from_parts(hi: u128, lo: u128) -> U256 {
        U256 { lo, hi }
    }

    /// The value, if it fits in 128 bits.
    pub fn to_u128(self) -> Option<u128> {
        (self.hi == 0).then_some(self.lo)
    }

    pub fn is_zero(self) -> bool {
        self.hi == 0 && self.lo == 0
    }

    pub fn checked_add(self, o: U256) -> Option<U256> {
        let (lo, carry) = self.lo.overflowing_add(o.lo);
        let hi = self.hi.checked_add(o.hi)?.checked_add(carry as u128)?;
        Some(U256 { lo, hi })
    }

    fn wrapping_sub(self, o: U256) -> U256 {
        let (lo, borrow) = self.lo.overflowing_sub(o.lo);
        let hi = self.hi.wrapping_sub(o.hi).wrapping_sub(borrow as u128);
        U256 { lo, hi }
    }

    pub fn checked_sub(self, o: U256) -> Option<U256> {
        (self >= o).then(|| self.wrapping_sub(o))
    }

    pub fn saturating_sub(self, o: U256) -> U256 {
        self.checked_sub(o).unwrap_or(U256::ZERO)
    }

    /// The full 512-bit product, as (high, low) halves.
    fn mul_wide(self, o: U256) -> (U256, U256) {
        // Four 128x128 partial products, summed into four 128-bit limbs with carries.
        let (p00_hi, p00_lo) = mul_u128(self.lo, o.lo);
        let (p01_hi, p01_lo) = mul_u128(self.lo, o.hi);
        let (p10_hi, p10_lo) = mul_u128(self.hi, o.lo);
        let (p11_hi, p11_lo) = mul_u128(self.hi, o.hi);
        let limb0 = p00_lo;
        let (s, c1) = p00_hi.overflowing_add(p01_lo);
        let (limb1, c2) = s.overflowing_add(p10_lo);
        let carry1 = c1 as u128 + c2 as u128;
        let (s, c1) = p01_hi.overflowing_add(p10_hi);
        let (s, c2) = s.overflowing_add(p11_lo);
        let (limb2, c3) = s.overflowing_add(carry1);
        let carry2 = c1 as u128 + c2 as u128 + c3 as u128;
        // The whole product is below 2^512, so the top limb cannot overflow.
        let limb3 = p11_hi + carry2;
        (U256 { lo: limb2, hi: limb3 }, U256 { lo: limb0, hi: limb1 })
    }

    pub fn checked_mul(self, o: U256) -> Option<U256> {
        let (hi, lo) = self.mul_wide(o);
        hi.is_zero().then_some(lo)
    }

    fn bit(self, i: u32) -> bool {
        if i < 128 {
            (self.lo >> i) & 1 == 1
        } else {
            (self.hi >> (i - 128)) & 1 == 1
        }
    }

    /// (self << 1) | low, and the bit shifted out at the top.
    fn shl1(self, low: bool) -> (U256, bool) {
        let out = self.hi >> 127 == 1;
        (U256 { hi: (self.hi << 1) | (self.lo >> 127), lo: (self.lo << 1) | low as u128 }, out)
    }

    /// Quotient and remainder of the 512-bit `(hi, lo)` by `d`, if the quotient fits in 256 bits.
    fn div_rem_wide(hi: U256, lo: U256, d: U256) -> Option<(U256, U256)> {
        if d.is_zero() || hi >= d {
            return None;
        }
        if hi.is_zero() {
            if let (Some(n), Some(d)) = (lo.to_u128(), d.to_u128()) {
                return Some((U256::from_u128(n / d), U256::from_u128(n % d)));
            }
        }
        // Long division one bit at a time; hi < d keeps the quotient in 256 bits.
        let mut rem = hi;
        let mut q = U256::ZERO;
        for i in (0..256).rev() {
            let (shifted, carry) = rem.shl1(lo.bit(i));
            rem = shifted;
            let (q2, _) = q.shl1(false);
            q = q2;
            if carry || rem >= d {
                rem = rem.wrapping_sub(d);
                q.lo |= 1;
            }
        }
        Some((q, rem))
    }

    /// Quotient and remainder of `self / d`; `None` if d is zero.
    pub fn div_rem(self, d: U256) -> Option<(U256, U256)> {
        U256::div_rem_wide(U256::ZERO, self, d)
    }

    /// `(a * b) / d` and its remainder, through 512 bits; `None` if d is zero or the quotient
    /// does not fit in 256 bits.
    pub fn mul_div_rem(a: U256, b: U256, d: U256) -> Option<(U256, U256)> {
        let (hi, lo) = a.mul_wide(b);
        U256::div_rem_wide(hi, lo, d)
    }

    /// Divides by a small divisor, returning the remainder.
    fn div_rem_u64(self, d: u64) -> (U256, u64) {
        let d = d as u128;
        let limbs = [(self.hi >> 64), self.hi & u64::MAX as u128, self.lo >> 64, self.lo & u64::MAX as u128];
        let mut rem = 0u128;
        let mut q = [0u128; 4];
        for (i, limb) in limbs.iter().enumerate() {
            let cur = (rem << 64) | limb;
            q[i] = cur / d;
            rem = cur % d;
        }
        (U256 { hi: (q[0] << 64) | q[1], lo: (q[2] << 64) | q[3] }, rem as u64)
    }

    /// Parses a string of decimal digits; `None` if it is empty, not all digits, or too large.
    pub fn parse_decimal(s: &str) -> Option<U256> {
        // 2^256 has 78 digits: a longer string (leading zeros included) is refused before the work.
        if s.is_empty() || s.len() > 78 || !s.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let ten = U256::from_u128(10);
        let mut v = U256::ZERO;
        for b in s.bytes() {
            v = v.checked_mul(ten)?.checked_add(U256::from_u128((b - b'0') as u128))?;
        }
        Some(v)
    }
}

impl std::fmt::Display for U256 {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if let Some(v) = self.to_u128() {
            return write!(f, "{v}");
        }
        // Groups of 19 digits, least significant first.
        const GROUP: u64 = 10_000_000_000_000_000_000;
        let mut groups = Vec::new();
        let mut v = *self;
        while !v.is_zero() {
            let (q, r) = v.div_rem_u64(GROUP);
            groups.push(r);
            v = q;
        }
        let mut out = groups.pop().map(|g| g.to_string()).unwrap_or_default();
        for g in groups.iter().rev() {
            out.push_str(&format!("{g:019}"));
        }
        f.write_str(&out)
    }
}

impl std::fmt::Debug for U256 {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Display::fmt(self, f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn u(v: u128) -> U256 {
        U256::from_u128(v)
    }

    #[test]
    fn arithmetic_at_the_edges() {
        let max128 = u(u128::MAX);
        let sum = max128.checked_add(u(1)).unwrap();
        assert_eq!(sum, U256 { lo: 0, hi: 1 });
        assert_eq!(sum.checked_sub(u(1)), Some(max128));
        assert_eq!(u(1).checked_sub(u(2)), None);
        assert_eq!(U256::MAX.checked_add(u(1)), None);
        assert_eq!(U256::MAX.checked_mul(u(2)), None);
        // (2^128 - 1)^2 = 2^256 - 2^129 + 1
        let sq = max128.checked_mul(max128).unwrap();
        assert_eq!(sq, U256 { hi: u128::MAX - 1, lo: 1 });
        assert_eq!(sq.div_rem(max128), Some((max128, U256::ZERO)));
        assert!(sq > max128 && max128 > u(0));
        assert_eq!(u(7).div_rem(U256::ZERO), None);
        // MAX * MAX / MAX = MAX through the 512-bit intermediate; MAX * 2 / 1 does not fit.
        assert_eq!(U256::mul_div_rem(U256::MAX, U256::MAX, U256::MAX), Some((U256::MAX, U256::ZERO)));
        assert_eq!(U256::mul_div_rem(U256::MAX, u(2), u(1)), None);
        assert_eq!(U256::mul_div_rem(U256::MAX, u(3), u(6)).unwrap().0, U256::MAX.div_rem(u(2)).unwrap().0);
        assert_eq!(U256::mul_div_rem(U256::MAX, U256::MAX, u(u128::MAX)), None, "the quotient does not fit");
    }

    #[test]
    fn decimal_strings_round_trip() {
        let max = "115792089237316195423570985008687907853269984665640564039457584007913129639935";
        assert_eq!(U256::parse_decimal(&format!("0{max}")), None, "79 digits are refused before any work");
        assert_eq!(U256::parse_decimal(&"0".repeat(1 << 20)), None);
        assert_eq!(U256::parse_decimal(&"0".repeat(77)), Some(U256::ZERO));
        assert_eq!(U256::MAX.to_string(), max);
        assert_eq!(U256::parse_decimal(max), Some(U256::MAX));
        assert_eq!(
            U256::parse_decimal("115792089237316195423570985008687907853269984665640564039457584007913129639936"),
            None
        );
        assert_eq!(u(u128::MAX).to_string(), u128::MAX.to_string());
        let big = u(u128::MAX).checked_mul(u(10u128.pow(18))).unwrap();
        assert_eq!(big.to_string(), format!("{}000000000000000000", u128::MAX));
        assert_eq!(U256::parse_decimal(&big.to_string()), Some(big));
        // A 19-digit group with leading zeros inside the number.
        let v = u(1).checked_add(U256 { lo: 0, hi: 1 }).unwrap();
        assert_eq!(U256::parse_decimal(&v.to_string()), Some(v));
        assert_eq!(U256::parse_decimal(""), None);
        assert_eq!(U256::parse_decimal("12a"), None);
        assert_eq!(u(0).to_string(), "0");
    }

    #[test]
    fn borsh_is_32_little_endian_bytes() {
        let v = U256 { lo: 1, hi: 2 };
        let bytes = borsh::to_vec(&v).unwrap();
        assert_eq!(bytes.len(), 32);
        assert_eq!(bytes[0], 1);
        assert_eq!(bytes[16], 2);
        assert_eq!(borsh::from_slice::<U256>(&bytes).unwrap(), v);
    }
}
