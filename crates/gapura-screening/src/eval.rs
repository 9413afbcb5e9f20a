//! Measuring the matcher on a labelled set of pairs (testdata/eval/pairs.jsonl: invented
//! people; see its README): every listed side goes into one watchlist, every query is
//! screened against all of it, and a pair counts as matched when the query hits its own
//! listed person at the threshold.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use gapura_domain::{OrderKind, PartialDate, Sex};
use jiff::civil::date;
use serde::Deserialize;

use crate::watchlist::{Direction, Listing, Person, Query, Watchlist};

#[derive(Debug, Clone, Deserialize)]
pub struct Pair {
    pub id: String,
    pub label: String,
    pub variation: String,
    pub query: QuerySide,
    pub listed: ListedSide,
}
#[derive(Debug, Clone, Deserialize)]
pub struct QuerySide {
    pub surname: String,
    pub given_names: String,
    pub date_of_birth: Option<String>,
    pub sex: Option<String>,
    pub nationality: Option<String>,
}
#[derive(Debug, Clone, Deserialize)]
pub struct ListedSide {
    pub names: Vec<String>,
    pub date_of_birth: Option<String>,
    pub sex: Option<String>,
    pub nationality: Option<String>,
}

/// Counts at one threshold.
#[derive(Debug, Clone, Copy, Default, PartialEq, serde::Serialize)]
pub struct Counts {
    pub threshold: f32,
    pub true_positives: u32,
    pub false_positives: u32,
    pub true_negatives: u32,
    pub false_negatives: u32,
}

impl Counts {
    pub fn recall(&self) -> f64 {
        f64::from(self.true_positives) / f64::from((self.true_positives + self.false_negatives).max(1))
    }
    pub fn precision(&self) -> f64 {
        f64::from(self.true_positives) / f64::from((self.true_positives + self.false_positives).max(1))
    }
}

/// The evaluation's outcome.
#[derive(Debug, Clone, serde::Serialize)]
pub struct EvalReport {
    /// At the watchlist's threshold.
    pub at_threshold: Counts,
    /// At other thresholds.
    pub sweep: Vec<Counts>,
    /// (label, variation) → (hits, pairs) at the threshold.
    pub by_category: BTreeMap<String, (u32, u32)>,
    /// Pairs missed (same) or wrongly hit (different) at the threshold, described.
    pub errors: Vec<String>,
    pub screening_time: Duration,
}

/// Reads pairs from JSON lines; errors name the line.
pub fn read_pairs(text: &str) -> Result<Vec<Pair>, String> {
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, l)| serde_json::from_str(l).map_err(|e| format!("line {}: {e}", i + 1)))
        .collect()
}

fn dob(s: &Option<String>) -> Result<Option<PartialDate>, String> {
    s.as_deref().map(PartialDate::parse).transpose().map_err(|e| e.to_string())
}

/// Screens every pair's query against a watchlist of every pair's listed side.
pub fn evaluate(pairs: &[Pair], threshold: f32, sweep: &[f32]) -> Result<EvalReport, String> {
    let mut w = Watchlist::new();
    for p in pairs {
        w.upsert(Person {
            names: p.listed.names.clone(),
            sex: p.listed.sex.as_deref().and_then(Sex::parse),
            date_of_birth: dob(&p.listed.date_of_birth).map_err(|e| format!("{}: {e}", p.id))?,
            nationality: p.listed.nationality.clone(),
            documents: vec![],
            listing: Listing::TravelBanOrder {
                order_id: p.id.clone(),
                kind: OrderKind::Prevention,
                start: date(2000, 1, 1),
                last_day: None,
            },
        });
    }
    w.seal();
    let lowest = sweep.iter().copied().fold(threshold, f32::min);
    w.set_threshold(lowest);
    let mut scores = Vec::with_capacity(pairs.len());
    let started = Instant::now();
    for p in pairs {
        let q = Query {
            surname: p.query.surname.clone(),
            given_names: p.query.given_names.clone(),
            date_of_birth: dob(&p.query.date_of_birth).map_err(|e| format!("{}: {e}", p.id))?,
            sex: p.query.sex.as_deref().and_then(Sex::parse),
            nationality: p.query.nationality.clone(),
            document: None,
            direction: Direction::Exit,
            date: date(2026, 11, 23),
        };
        let s = w.screen(&q);
        scores.push(s.hits.iter().find(|h| h.reference == p.id).map(|h| h.score));
    }
    let screening_time = started.elapsed();
    let count = |t: f32| {
        let mut c = Counts { threshold: t, ..Counts::default() };
        for (p, s) in pairs.iter().zip(&scores) {
            let hit = s.is_some_and(|s| s >= t);
            match (p.label == "same", hit) {
                (true, true) => c.true_positives += 1,
                (true, false) => c.false_negatives += 1,
                (false, true) => c.false_positives += 1,
                (false, false) => c.true_negatives += 1,
            }
        }
        c
    };
    let mut by_category = BTreeMap::new();
    let mut errors = Vec::new();
    for (p, s) in pairs.iter().zip(&scores) {
        let hit = s.is_some_and(|s| s >= threshold);
        let e: &mut (u32, u32) = by_category.entry(format!("{} {}", p.label, p.variation)).or_default();
        e.1 += 1;
        e.0 += u32::from(hit);
        if hit != (p.label == "same") {
            errors.push(format!(
                "{} {} {} ({}): {} {} vs {:?}",
                if hit { "false hit" } else { "missed" },
                p.id,
                p.variation,
                s.map_or("no score".to_owned(), |s| format!("{s:.3}")),
                p.query.given_names,
                p.query.surname,
                p.listed.names
            ));
        }
    }
    Ok(EvalReport {
        at_threshold: count(threshold),
        sweep: sweep.iter().map(|t| count(*t)).collect(),
        by_category,
        errors,
        screening_time,
    })
}
