//! The generated dataset written out: CSV tables, the payplan request (tables embedded as
//! `{"csv": …}`), the request as JSON objects, the what-if deal and the dataset folder.

use crate::gen::*;
use std::fmt::Write as _;

/// The input tables as CSV text (the files peers read, and the request's `{"csv": …}` tables).
#[derive(Debug, Clone, Default)]
pub struct Tables {
    pub payees: String,
    pub assignments: String,
    pub transactions: String,
    pub quotas: String,
    pub fx_rates: String,
}

impl Tables {
    /// (table name, file name, text) in request order.
    pub fn list(&self) -> [(&'static str, &'static str, &str); 5] {
        [
            ("payees", "payees.csv", &self.payees),
            ("assignments", "assignments.csv", &self.assignments),
            ("transactions", "transactions.csv", &self.transactions),
            ("quotas", "quotas.csv", &self.quotas),
            ("fx_rates", "fx_rates.csv", &self.fx_rates),
        ]
    }
}

impl Dataset {
    pub fn whale_id(&self) -> &str {
        &self.payees[self.whale].id
    }

    pub fn tables(&self) -> Tables {
        let mut t = Tables::default();
        let p = &mut t.payees;
        p.push_str("id,name,manager,team,currency\n");
        for x in &self.payees {
            let (name, team) = match x.role {
                Role::Director => ("Director", String::new()),
                Role::Manager => ("Manager", self.payees[x.manager.unwrap()].id.clone()),
                Role::Rep => ("Rep", self.payees[x.manager.unwrap()].id.clone()),
            };
            let mgr = x.manager.map(|m| self.payees[m].id.as_str()).unwrap_or("");
            let _ = writeln!(p, "{},{} {},{},{},EUR", x.id, name, &x.id[1..], mgr, team);
        }

        let a = &mut t.assignments;
        a.push_str("payee,plan,from,to,target_incentive\n");
        for x in &self.payees {
            let _ = writeln!(a, "{},{},2027-01-01,,{}", x.id, PLAN_ID, x.target_incentive);
        }

        let tx = &mut t.transactions;
        tx.reserve(self.transactions.len() * 64);
        tx.push_str("id,kind,date,amount,currency,owner,splits,reference,product\n");
        for x in &self.transactions {
            let kind = match x.kind {
                Kind::Booking => "booking",
                Kind::Cancellation => "cancellation",
            };
            let (owner, splits) = match x.partner {
                None => (self.payees[x.owner].id.as_str(), String::new()),
                Some(p) => (
                    "",
                    format!("{}:0.5;{}:0.5", self.payees[x.owner].id, self.payees[p].id),
                ),
            };
            let reference = x
                .reference
                .map(|r| format!("T{:08}", r))
                .unwrap_or_default();
            let _ = writeln!(
                tx,
                "{},{},{},{},{},{},{},{},{}",
                x.id(),
                kind,
                date_of_day(x.day),
                money(x.cents),
                if x.usd { "USD" } else { "EUR" },
                owner,
                splits,
                reference,
                if x.cloud { "cloud" } else { "onprem" }
            );
        }

        let q = &mut t.quotas;
        q.push_str("payee,measure,period,amount\n");
        for (i, x) in self.payees.iter().enumerate() {
            for (mi, m) in QUOTA_MEASURES.iter().enumerate() {
                for month in 1..=12 {
                    let _ = writeln!(q, "{},{},2027-{:02},{}", x.id, m, month, self.quotas[i][mi]);
                }
            }
        }

        let f = &mut t.fx_rates;
        f.push_str("from,to,rate,effective\n");
        for (i, r) in self.fx_usd_eur.iter().enumerate() {
            let _ = writeln!(f, "USD,EUR,{},2027-{:02}-01", rate4(*r), i + 1);
        }
        t
    }

    /// The request with CSV tables embedded (`{"csv": …, "name": …}`), plan first.
    pub fn request_csv_json(&self, tables: &Tables) -> String {
        let mut s = String::with_capacity(tables.transactions.len() + tables.quotas.len() + 4096);
        s.push_str("{\"plans\": [");
        s.push_str(REFERENCE_PLAN.trim());
        s.push_str("],\n\"inputs\": {");
        for (i, (table, file, text)) in tables.list().iter().enumerate() {
            if i > 0 {
                s.push_str(",\n");
            }
            let _ = write!(s, "\"{}\": {{\"name\": \"{}\", \"csv\": ", table, file);
            json_string(&mut s, text);
            s.push('}');
        }
        s.push_str("}}\n");
        s
    }

    /// The same request with every table as a JSON array of objects.
    pub fn request_objects_json(&self) -> String {
        let mut s = String::with_capacity(self.transactions.len() * 200 + 4096);
        s.push_str("{\"plans\": [");
        s.push_str(REFERENCE_PLAN.trim());
        s.push_str("],\n\"inputs\": {\n\"payees\": [");
        for (i, x) in self.payees.iter().enumerate() {
            sep(&mut s, i);
            let mgr = x
                .manager
                .map(|m| format!("\"{}\"", self.payees[m].id))
                .unwrap_or_else(|| "null".into());
            let team = x
                .manager
                .map(|m| format!("\"{}\"", self.payees[m].id))
                .unwrap_or_else(|| "null".into());
            let name = match x.role {
                Role::Director => "Director",
                Role::Manager => "Manager",
                Role::Rep => "Rep",
            };
            let _ = write!(
                s,
                "{{\"id\": \"{}\", \"name\": \"{} {}\", \"manager\": {}, \"team\": {}, \"currency\": \"EUR\"}}",
                x.id,
                name,
                &x.id[1..],
                mgr,
                team
            );
        }
        s.push_str("],\n\"assignments\": [");
        for (i, x) in self.payees.iter().enumerate() {
            sep(&mut s, i);
            let _ = write!(
                s,
                "{{\"payee\": \"{}\", \"plan\": \"{}\", \"from\": \"2027-01-01\", \"to\": null, \"target_incentive\": \"{}\"}}",
                x.id, PLAN_ID, x.target_incentive
            );
        }
        s.push_str("],\n\"transactions\": [");
        for (i, x) in self.transactions.iter().enumerate() {
            sep(&mut s, i);
            let kind = match x.kind {
                Kind::Booking => "booking",
                Kind::Cancellation => "cancellation",
            };
            let _ = write!(
                s,
                "{{\"id\": \"{}\", \"kind\": \"{}\", \"date\": \"{}\", \"amount\": \"{}\", \"currency\": \"{}\", ",
                x.id(),
                kind,
                date_of_day(x.day),
                money(x.cents),
                if x.usd { "USD" } else { "EUR" }
            );
            match x.partner {
                None => {
                    let _ = write!(s, "\"owner\": \"{}\", ", self.payees[x.owner].id);
                }
                Some(p) => {
                    let _ = write!(
                        s,
                        "\"splits\": [{{\"payee\": \"{}\", \"share\": \"0.5\"}}, {{\"payee\": \"{}\", \"share\": \"0.5\"}}], ",
                        self.payees[x.owner].id, self.payees[p].id
                    );
                }
            }
            if let Some(r) = x.reference {
                let _ = write!(s, "\"reference\": \"T{:08}\", ", r);
            }
            let _ = write!(
                s,
                "\"attributes\": {{\"product\": \"{}\"}}}}",
                if x.cloud { "cloud" } else { "onprem" }
            );
        }
        s.push_str("],\n\"quotas\": [");
        let mut k = 0;
        for (i, x) in self.payees.iter().enumerate() {
            for (mi, m) in QUOTA_MEASURES.iter().enumerate() {
                for month in 1..=12 {
                    sep(&mut s, k);
                    k += 1;
                    let _ = write!(
                        s,
                        "{{\"payee\": \"{}\", \"measure\": \"{}\", \"period\": \"2027-{:02}\", \"amount\": \"{}\"}}",
                        x.id, m, month, self.quotas[i][mi]
                    );
                }
            }
        }
        s.push_str("],\n\"fx_rates\": [");
        for (i, r) in self.fx_usd_eur.iter().enumerate() {
            sep(&mut s, i);
            let _ = write!(
                s,
                "{{\"from\": \"USD\", \"to\": \"EUR\", \"rate\": \"{}\", \"effective\": \"2027-{:02}-01\"}}",
                rate4(*r),
                i + 1
            );
        }
        s.push_str("]\n}}\n");
        s
    }

    /// The what-if deal: one more cloud booking of 25,000.00 EUR for the whale rep.
    pub fn whatif_deal_json(&self) -> String {
        format!(
            "{{\"id\": \"WHATIF\", \"kind\": \"booking\", \"date\": \"2027-06-15\", \"amount\": \"25000.00\", \"currency\": \"EUR\", \"owner\": \"{}\", \"attributes\": {{\"product\": \"cloud\"}}}}",
            self.whale_id()
        )
    }

    pub fn meta_json(&self) -> String {
        let bookings = self
            .transactions
            .iter()
            .filter(|t| t.kind == Kind::Booking)
            .count();
        let splits = self
            .transactions
            .iter()
            .filter(|t| t.kind == Kind::Booking && t.partner.is_some())
            .count();
        let usd = self.transactions.iter().filter(|t| t.usd).count();
        format!(
            "{{\n  \"seed\": \"{:#018x}\",\n  \"transactions\": {},\n  \"bookings\": {},\n  \"cancellations\": {},\n  \"split_bookings\": {},\n  \"usd_transactions\": {},\n  \"payees\": {},\n  \"whale\": \"{}\",\n  \"whale_deals\": {}\n}}\n",
            self.spec.seed,
            self.transactions.len(),
            bookings,
            self.transactions.len() - bookings,
            splits,
            usd,
            self.payees.len(),
            self.whale_id(),
            self.whale_deals
        )
    }
}

fn sep(s: &mut String, i: usize) {
    if i > 0 {
        s.push_str(",\n");
    }
}

/// Append `text` as a JSON string literal.
pub fn json_string(out: &mut String, text: &str) {
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// Write every file of a dataset into `dir` (created): the CSV tables, `plan.json`,
/// `request.json` (CSV tables embedded), `deal.json`, `meta.json`, and with `objects`
/// also `request-objects.json`.
pub fn write_dataset(ds: &Dataset, dir: &std::path::Path, objects: bool) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    let tables = ds.tables();
    for (_, file, text) in tables.list() {
        std::fs::write(dir.join(file), text)?;
    }
    std::fs::write(dir.join("plan.json"), REFERENCE_PLAN)?;
    std::fs::write(dir.join("request.json"), ds.request_csv_json(&tables))?;
    std::fs::write(dir.join("deal.json"), ds.whatif_deal_json() + "\n")?;
    std::fs::write(dir.join("meta.json"), ds.meta_json())?;
    if objects {
        std::fs::write(dir.join("request-objects.json"), ds.request_objects_json())?;
    }
    Ok(())
}
