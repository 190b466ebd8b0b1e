//! Exchange rates: an amount in a transaction's currency converted into a plan's at the rate
//! in force on the transaction's date (rates are ordered by effective date per pair).

use crate::date::Date;
use crate::engine::Ctx;
use crate::error::{Error, Result};
use crate::inputs::Transaction;
use rust_decimal::Decimal;

impl Ctx {
    /// Exchange credit `c`'s `amount` (of transaction `t`) into `currency` at the rate in
    /// force on its date, reading the currency from the credit's code where it has one (`t`
    /// is then read only for an error's path). The size-budgeted WebAssembly build (one
    /// payee's calculator) reads the transaction.
    #[cfg_attr(target_arch = "wasm32", allow(unused_variables))]
    pub fn convert_credit(
        &self,
        amount: Decimal,
        c: &crate::crediting::Credit,
        t: &Transaction,
        currency: &str,
    ) -> Result<Decimal> {
        #[cfg(not(target_arch = "wasm32"))]
        if let Some(from) = self.facts.currency(c.currency) {
            return self.exchange(amount, from.unwrap_or(currency), c.date(), currency, t);
        }
        self.convert(amount, t, currency)
    }

    /// Exchange `amount` of transaction `t` into `currency` at the rate in force on its date.
    pub fn convert(&self, amount: Decimal, t: &Transaction, currency: &str) -> Result<Decimal> {
        let from = t.currency.as_deref().unwrap_or(currency);
        self.exchange(amount, from, t.date.get(), currency, t)
    }

    fn exchange(
        &self,
        amount: Decimal,
        from: &str,
        date: Date,
        currency: &str,
        t: &Transaction,
    ) -> Result<Decimal> {
        if from == currency {
            return Ok(amount);
        }
        let missing = || Error::MissingFxRate {
            path: t.origin.field("currency"),
            from: from.to_string(),
            to: currency.to_string(),
            date: date.to_string(),
        };
        let rates = self
            .fx
            .iter()
            .find(|(k, _)| k.0 == from && k.1 == currency)
            .map(|(_, list)| list)
            .ok_or_else(missing)?;
        let pos = rates.partition_point(|r| r.0 <= date);
        if pos == 0 {
            return Err(missing());
        }
        // Native builds write the error's path only on an overflow; the size-budgeted
        // WebAssembly build (one payee's calculator) keeps the one `mul`.
        #[cfg(not(target_arch = "wasm32"))]
        return crate::decimal::mul_at(amount, rates[pos - 1].1, &|| t.origin.field("amount"));
        #[cfg(target_arch = "wasm32")]
        crate::decimal::mul(amount, rates[pos - 1].1, &t.origin.field("amount"))
    }
}
