//! The watchlist as screening sees it: listed people (subjects of travel-ban orders, Interpol
//! notices) with their names in the name index, and the stolen and lost documents; and the
//! screening of one traveller against all of it.

use std::collections::HashMap;

use gapura_domain::{OrderKind, PartialDate, Sex};
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use crate::documents::{fingerprint, normalise_number, DocumentListing, DocumentSet, DocumentStatus};
use crate::names::{compare_names, Birth, NameComparison, NameIndex, NameRec, QueryToken};
use crate::normalize::{tokens, TokenInfo};

/// The score at or above which a listed person is a hit. See docs/screening.md for how it was
/// chosen and what recall and precision it gives on the evaluation set.
pub const DEFAULT_THRESHOLD: f32 = 0.8;
/// Hits returned for one query, best first.
pub const HITS_MAX: usize = 50;
/// Names (primary and aliases) of one listed person that are indexed.
pub const PERSON_NAMES_MAX: usize = 16;
/// What a date of birth that conflicts takes off the score.
pub const DATE_CONFLICT_PENALTY: f32 = 0.40;
/// Ways one query word is tried as two listed words, when selecting candidates.
pub const SPLITS_PER_TOKEN_MAX: usize = 2;
/// Document numbers of one listed person.
pub const PERSON_DOCUMENTS_MAX: usize = 16;

/// Why a person is listed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "list", rename_all = "snake_case")]
pub enum Listing {
    /// The subject of a travel-ban order, in force from `start` to `last_day` inclusive
    /// (`None`: for life).
    TravelBanOrder { order_id: String, kind: OrderKind, start: Date, last_day: Option<Date> },
    /// The subject of an Interpol notice (red, yellow, blue, green, black, orange, purple,
    /// UN special).
    InterpolNotice { notice_id: String, kind: String },
}

impl Listing {
    /// The stable key of the listing: `order:ID` or `notice:ID`.
    pub fn key(&self) -> String {
        match self {
            Listing::TravelBanOrder { order_id, .. } => order_key(order_id),
            Listing::InterpolNotice { notice_id, .. } => notice_key(notice_id),
        }
    }
    fn in_force(&self, date: Date) -> bool {
        match self {
            Listing::TravelBanOrder { start, last_day, .. } => {
                *start <= date && last_day.is_none_or(|l| date <= l)
            }
            Listing::InterpolNotice { .. } => true,
        }
    }
}

/// The listing key of a travel-ban order.
pub fn order_key(order_id: &str) -> String {
    format!("order:{order_id}")
}

/// The listing key of an Interpol notice.
pub fn notice_key(notice_id: &str) -> String {
    format!("notice:{notice_id}")
}

/// A document a listed person is known to hold.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonDocument {
    pub issuing_state: String,
    pub number: String,
}

/// A listed person.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Person {
    /// Names in natural order; the first is the primary name, the rest aliases.
    pub names: Vec<String>,
    pub sex: Option<Sex>,
    pub date_of_birth: Option<PartialDate>,
    pub nationality: Option<String>,
    pub documents: Vec<PersonDocument>,
    pub listing: Listing,
}

/// Which way the traveller is crossing.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    Entry,
    Exit,
}

/// The document the traveller presents.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueryDocument {
    pub number: String,
    pub issuing_state: String,
    pub document_type: Option<String>,
}

/// One screening question: a traveller as read from their document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Query {
    /// The primary identifier (surname) as read; may be empty for a single-name holder.
    pub surname: String,
    /// The secondary identifier (given names) as read; may be empty.
    pub given_names: String,
    pub date_of_birth: Option<PartialDate>,
    pub sex: Option<Sex>,
    pub nationality: Option<String>,
    pub document: Option<QueryDocument>,
    pub direction: Direction,
    pub date: Date,
}

/// What a hit asks of the officer.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Effect {
    /// Nothing for this crossing (an order against the other direction), shown for
    /// information.
    None,
    /// Refer the traveller to secondary inspection.
    Refer,
    /// The traveller may not cross.
    Stop,
}

/// The rule a hit brings into play.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Rule {
    /// Stable code: `prevention_order_stops_exit`, `deterrence_order_stops_entry`,
    /// `document_reported_stolen`, … (see docs/screening.md).
    pub code: &'static str,
    pub effect: Effect,
    pub text: String,
}

/// How one field of the query matched the listed record.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FieldMatch {
    /// `name`, `date_of_birth`, `sex`, `nationality` or `document`.
    pub field: &'static str,
    /// `exact`, `spelling_variant`, `abbreviation`, `phonetic`, `typo`, `reordered`,
    /// `initial`, `partial` (a date with unknown parts), `day_month_swapped`, `conflict`.
    pub how: Vec<&'static str>,
    pub query: String,
    pub listed: String,
    /// For names: each pair of tokens and how they matched.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<NameComparison>,
}

/// One listed record the traveller matches.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Hit {
    /// `travel_ban_order`, `interpol_notice` or `stolen_lost_document`.
    pub list: &'static str,
    /// The order id, notice id, or `STATE:NUMBER` of a listed document.
    pub reference: String,
    pub score: f32,
    pub matched: Vec<FieldMatch>,
    pub rule: Rule,
}

/// The answer to a query.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Screening {
    /// The strongest effect among the hits: `stop`, `refer` or `none`.
    pub effect: Effect,
    pub hits: Vec<Hit>,
    pub threshold: f32,
    /// Listed names scored for this query (after candidate selection).
    pub names_scored: usize,
}

/// Counts of what the watchlist holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct WatchlistCounts {
    pub orders: usize,
    pub notices: usize,
    pub names: usize,
    pub documents: usize,
}

/// Listed people, their names, and listed documents.
#[derive(Debug, Clone, Default)]
pub struct Watchlist {
    pub(crate) persons: Vec<Person>,
    pub(crate) active: Vec<bool>,
    pub(crate) by_key: HashMap<String, u32>,
    pub(crate) names: NameIndex,
    pub(crate) documents: DocumentSet,
    pub(crate) person_documents: HashMap<u64, Vec<u32>>,
    threshold: Option<f32>,
    /// The store position (entries in store order) whose events the watchlist reflects.
    pub(crate) position: u64,
}

impl Watchlist {
    pub fn new() -> Watchlist {
        Watchlist::default()
    }

    /// The store position (count of entries in store order) the watchlist reflects.
    pub fn position(&self) -> u64 {
        self.position
    }

    pub fn threshold(&self) -> f32 {
        self.threshold.unwrap_or(DEFAULT_THRESHOLD)
    }
    pub fn set_threshold(&mut self, t: f32) {
        self.threshold = Some(t.clamp(0.0, 1.0));
    }

    pub fn counts(&self) -> WatchlistCounts {
        let mut c = WatchlistCounts { orders: 0, notices: 0, names: 0, documents: self.documents.len() };
        for (p, a) in self.persons.iter().zip(&self.active) {
            if !a {
                continue;
            }
            match p.listing {
                Listing::TravelBanOrder { .. } => c.orders += 1,
                Listing::InterpolNotice { .. } => c.notices += 1,
            }
            c.names += p.names.len().min(PERSON_NAMES_MAX);
        }
        c
    }

    /// Bytes of memory the document set uses (the name index is measured by the benchmark).
    pub fn document_memory_bytes(&self) -> usize {
        self.documents.memory_bytes()
    }

    /// Adds a listed person, replacing any earlier one with the same listing key.
    pub fn upsert(&mut self, person: Person) {
        let key = person.listing.key();
        self.remove(&key);
        let id = self.persons.len() as u32;
        let birth = Birth::of(person.date_of_birth);
        for (i, n) in person.names.iter().take(PERSON_NAMES_MAX).enumerate() {
            self.names.add(id, i as u8, n, birth);
        }
        for d in person.documents.iter().take(PERSON_DOCUMENTS_MAX) {
            self.person_documents.entry(fingerprint(&d.issuing_state, &d.number)).or_default().push(id);
        }
        self.by_key.insert(key, id);
        self.persons.push(person);
        self.active.push(true);
    }

    /// Removes a listed person by listing key (`order:ID`, `notice:ID`); false if absent.
    pub fn remove(&mut self, key: &str) -> bool {
        match self.by_key.remove(key) {
            Some(id) => {
                self.active[id as usize] = false;
                true
            }
            None => false,
        }
    }

    /// The listed person under a key, if any.
    pub fn person(&self, key: &str) -> Option<&Person> {
        self.by_key.get(key).map(|id| &self.persons[*id as usize])
    }

    /// Changes the listing of a person in place (an order extended).
    pub fn update_listing(&mut self, key: &str, f: impl FnOnce(&mut Listing)) -> bool {
        match self.by_key.get(key) {
            Some(id) => {
                f(&mut self.persons[*id as usize].listing);
                true
            }
            None => false,
        }
    }

    /// Removes every listed notice (before a full notices file is loaded).
    pub fn clear_notices(&mut self) {
        let keys: Vec<String> =
            self.by_key.keys().filter(|k| k.starts_with(&notice_key(""))).cloned().collect();
        for k in keys {
            self.remove(&k);
        }
    }

    /// Replaces the stolen and lost documents.
    pub fn set_documents(&mut self, docs: DocumentSet) {
        self.documents = docs;
    }

    /// The listing of a stolen or lost document, if it is listed.
    pub fn document_listing(&self, issuing_state: &str, number: &str) -> Option<DocumentListing> {
        self.documents.lookup(issuing_state, number)
    }

    /// Adds or removes listed documents.
    pub fn apply_document_delta(
        &mut self,
        changes: impl IntoIterator<Item = (u64, Option<DocumentListing>)>,
    ) {
        self.documents.apply_delta(changes);
    }

    /// Makes the index ready for queries after a run of changes.
    pub fn seal(&mut self) {
        self.names.seal();
    }

    /// Screens one traveller.
    pub fn screen(&self, q: &Query) -> Screening {
        self.screen_with(q, Selection::Postings)
    }

    /// Screens one traveller like `screen`, but selects the listed names to score by testing
    /// every one of them against the selection rule instead of walking the index's postings.
    /// Slow (every name for every query): the reference that tests hold `screen` to.
    pub fn screen_exhaustive(&self, q: &Query) -> Screening {
        self.screen_with(q, Selection::Exhaustive)
    }

    fn screen_with(&self, q: &Query, selection: Selection) -> Screening {
        let threshold = self.threshold();
        let mut hits: Vec<Hit> = Vec::new();
        let mut by_person: HashMap<u32, usize> = HashMap::new();

        // The document: stolen and lost documents, and documents of listed people.
        if let Some(doc) = &q.document {
            let number = normalise_number(&doc.number);
            let fp = fingerprint(&doc.issuing_state, &number);
            let shown = format!("{}:{}", doc.issuing_state.trim().to_ascii_uppercase(), number);
            if let Some(l) = self.documents.lookup_fingerprint(fp) {
                hits.push(document_hit(&shown, doc, l));
            }
            for id in self.person_documents.get(&fp).into_iter().flatten() {
                let p = &self.persons[*id as usize];
                if !self.active[*id as usize] || !p.listing.in_force(q.date) || by_person.contains_key(id) {
                    continue;
                }
                let field = FieldMatch {
                    field: "document",
                    how: vec!["exact"],
                    query: shown.clone(),
                    listed: shown.clone(),
                    name: None,
                };
                by_person.insert(*id, hits.len());
                hits.push(person_hit(p, 1.0, vec![field], q.direction));
            }
        }

        // The names.
        let mut raw: Vec<String> = tokens(&q.given_names);
        raw.extend(tokens(&q.surname));
        let mut seen = Vec::new();
        raw.retain(|t| {
            let new = !seen.contains(t);
            seen.push(t.clone());
            new
        });
        raw.truncate(crate::names::NAME_TOKENS_MAX);
        let query_tokens: Vec<QueryToken> =
            raw.iter().map(|t| self.names.lookup(TokenInfo::new(t))).collect();
        // Two words on the document that a list writes as one (Abdul Rahman / Abdurrahman).
        let mut extra: Vec<QueryToken> = Vec::new();
        for w in raw.windows(2) {
            let j = TokenInfo::new(&format!("{}{}", w[0], w[1]));
            if !j.initial && w[0].len() > 1 && w[1].len() > 1 {
                extra.push(self.names.lookup(j));
            }
        }
        // One word on the document that a list writes as two (Kimbun / Kim Bun): its halves,
        // when the list knows both, select candidates too.
        for t in raw.iter().filter(|t| t.len() >= 5) {
            let mut splits = 0;
            for i in 2..=t.len() - 2 {
                // The second half is described only when the list knows the first.
                let a = TokenInfo::new(&t[..i]);
                if !self.names.knows(&a) {
                    continue;
                }
                let b = TokenInfo::new(&t[i..]);
                if self.names.knows(&b) {
                    extra.push(self.names.lookup(a));
                    extra.push(self.names.lookup(b));
                    splits += 1;
                    if splits == SPLITS_PER_TOKEN_MAX {
                        break;
                    }
                }
            }
        }
        let dob = q.date_of_birth;
        // A date of birth that conflicts costs DATE_CONFLICT_PENALTY: when even a perfect name
        // could not then reach the threshold, such people are not candidates at all.
        let rule_out_by_date = threshold > 1.0 - DATE_CONFLICT_PENALTY;
        let units: Vec<&QueryToken> = query_tokens.iter().chain(&extra).collect();
        let dob_year = dob.and_then(|d| d.year());
        let candidates = match selection {
            Selection::Postings => self.names.candidates(
                &units,
                // A conflict is certain for a person born in another known year.
                if rule_out_by_date { dob_year } else { None },
                |b: Birth| !rule_out_by_date || compare_dates(dob, b.date()) != DateMatch::Conflict,
                |b: Birth| dob_year.is_some() && b.year() == dob_year,
            ),
            Selection::Exhaustive => self.names.candidates_exhaustive(
                &units,
                |n: &NameRec| {
                    !rule_out_by_date
                        || compare_dates(dob, self.persons[n.person as usize].date_of_birth)
                            != DateMatch::Conflict
                },
                |n: &NameRec| {
                    let p = &self.persons[n.person as usize];
                    match (dob_year, p.date_of_birth.and_then(|d| d.year())) {
                        (Some(a), Some(b)) => a == b,
                        _ => false,
                    }
                },
            ),
        };
        let mut memo = HashMap::new();
        let mut best: HashMap<u32, (f32, Vec<FieldMatch>)> = HashMap::new();
        let names_scored = candidates.len();
        let query_name = format!("{} {}", q.given_names.trim(), q.surname.trim()).trim().to_owned();
        for n in candidates {
            let rec = &self.names.names[n as usize];
            let pid = rec.person;
            if !self.active[pid as usize] {
                continue;
            }
            let p = &self.persons[pid as usize];
            if !p.listing.in_force(q.date) {
                continue;
            }
            let cmp = compare_names(&query_tokens, &rec.tokens, &self.names.vocab, &mut memo);
            if cmp.score <= 0.0 {
                continue;
            }
            let (score, fields) = score_person(q, &query_name, p, rec, cmp);
            if best.get(&pid).is_none_or(|b| score > b.0) {
                best.insert(pid, (score, fields));
            }
        }
        for (pid, (score, fields)) in best {
            if score < threshold {
                continue;
            }
            let p = &self.persons[pid as usize];
            match by_person.get(&pid) {
                Some(i) => {
                    // Matched by document too: keep the document field and add the rest.
                    let h = &mut hits[*i];
                    h.matched.extend(fields);
                }
                None => hits.push(person_hit(p, score, fields, q.direction)),
            }
        }
        // Ties are broken by reference, so the hits kept under HITS_MAX do not depend on hash order.
        hits.sort_by(|a, b| {
            b.rule
                .effect
                .cmp(&a.rule.effect)
                .then(b.score.total_cmp(&a.score))
                .then_with(|| a.reference.cmp(&b.reference))
        });
        hits.truncate(HITS_MAX);
        let effect = hits.iter().map(|h| h.rule.effect).max().unwrap_or(Effect::None);
        Screening { effect, hits, threshold, names_scored }
    }
}

/// How `screen_with` selects the listed names it scores.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Selection {
    Postings,
    Exhaustive,
}

fn document_hit(shown: &str, doc: &QueryDocument, l: DocumentListing) -> Hit {
    let (code, status) = match l.status {
        DocumentStatus::Stolen => ("document_reported_stolen", "reported stolen"),
        DocumentStatus::Lost => ("document_reported_lost", "reported lost"),
        DocumentStatus::Revoked => ("document_revoked", "revoked by its issuer"),
        DocumentStatus::Invalidated => ("document_invalidated", "invalidated by its issuer"),
    };
    let mut how = vec!["exact"];
    if let Some(t) = doc.document_type.as_deref().and_then(crate::documents::DocumentType::parse) {
        if t != l.document_type {
            how.push("other_document_type");
        }
    }
    Hit {
        list: "stolen_lost_document",
        reference: shown.to_owned(),
        score: 1.0,
        matched: vec![FieldMatch {
            field: "document",
            how,
            query: shown.to_owned(),
            listed: format!("{shown} ({}, {})", l.document_type.as_str(), l.status.as_str()),
            name: None,
        }],
        rule: Rule {
            code,
            effect: Effect::Stop,
            text: format!(
                "The {} {shown} is {status} in the Interpol stolen and lost travel documents list: it may not be used to enter or leave; retain it and refer the traveller.",
                l.document_type.as_str().replace('_', " ")
            ),
        },
    }
}

fn person_hit(p: &Person, score: f32, matched: Vec<FieldMatch>, direction: Direction) -> Hit {
    let (list, reference, rule) = match &p.listing {
        Listing::TravelBanOrder { order_id, kind, last_day, .. } => {
            let until = last_day.map_or("for life".to_owned(), |d| format!("until {d}"));
            let rule = match (kind, direction) {
                (OrderKind::Prevention | OrderKind::TemporaryPrevention, Direction::Exit) => Rule {
                    code: "prevention_order_stops_exit",
                    effect: Effect::Stop,
                    text: format!("Prevention order {order_id} ({until}) forbids this person to leave Indonesia."),
                },
                (OrderKind::Prevention | OrderKind::TemporaryPrevention, Direction::Entry) => Rule {
                    code: "prevention_order_not_for_entry",
                    effect: Effect::None,
                    text: format!("Prevention order {order_id} ({until}) forbids leaving, not entering; shown for information."),
                },
                (OrderKind::Deterrence, Direction::Entry) => Rule {
                    code: "deterrence_order_stops_entry",
                    effect: Effect::Stop,
                    text: format!("Deterrence order {order_id} ({until}) forbids this person to enter Indonesia."),
                },
                (OrderKind::Deterrence, Direction::Exit) => Rule {
                    code: "deterrence_order_not_for_exit",
                    effect: Effect::None,
                    text: format!("Deterrence order {order_id} ({until}) forbids entering, not leaving; shown for information."),
                },
            };
            ("travel_ban_order", order_id.clone(), rule)
        }
        Listing::InterpolNotice { notice_id, kind } => (
            "interpol_notice",
            notice_id.clone(),
            Rule {
                code: "interpol_notice_refer",
                effect: Effect::Refer,
                text: format!(
                    "Interpol {kind} notice {notice_id}: refer the traveller to secondary inspection and inform the National Central Bureau."
                ),
            },
        ),
    };
    Hit { list, reference, score: (score * 1000.0).round() / 1000.0, matched, rule }
}

/// How a query's date of birth compares with a listed one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateMatch {
    Exact,
    /// Equal where both are known, with unknown parts on one side.
    Partial,
    DayMonthSwapped,
    Conflict,
    Unknown,
}

/// Compares two dates of birth.
pub fn compare_dates(q: Option<PartialDate>, l: Option<PartialDate>) -> DateMatch {
    let (Some(q), Some(l)) = (q, l) else { return DateMatch::Unknown };
    let agree = |a: Option<u16>, b: Option<u16>| match (a, b) {
        (Some(a), Some(b)) => a == b,
        _ => true,
    };
    let known_common = [
        (q.year(), l.year()),
        (q.month().map(u16::from), l.month().map(u16::from)),
        (q.day().map(u16::from), l.day().map(u16::from)),
    ]
    .iter()
    .filter(|(a, b)| a.is_some() && b.is_some())
    .count();
    if known_common == 0 {
        return DateMatch::Unknown;
    }
    let m = |d: &PartialDate| d.month().map(u16::from);
    let dd = |d: &PartialDate| d.day().map(u16::from);
    if agree(q.year(), l.year()) && agree(m(&q), m(&l)) && agree(dd(&q), dd(&l)) {
        return if q.is_complete() && l.is_complete() { DateMatch::Exact } else { DateMatch::Partial };
    }
    if q.year() == l.year()
        && q.year().is_some()
        && m(&q).is_some()
        && dd(&q).is_some()
        && m(&q) == dd(&l)
        && dd(&q) == m(&l)
    {
        return DateMatch::DayMonthSwapped;
    }
    DateMatch::Conflict
}

fn score_person(
    q: &Query,
    query_name: &str,
    p: &Person,
    rec: &NameRec,
    cmp: NameComparison,
) -> (f32, Vec<FieldMatch>) {
    let mut score = cmp.score;
    let mut how: Vec<&'static str> = Vec::new();
    for pair in &cmp.pairs {
        let h = pair.how.as_str();
        if !how.contains(&h) {
            how.push(h);
        }
    }
    if cmp.reordered {
        how.push("reordered");
    }
    let mut fields = vec![FieldMatch {
        field: "name",
        how,
        query: query_name.to_owned(),
        listed: p.names.get(usize::from(rec.name_no)).cloned().unwrap_or_default(),
        name: Some(cmp),
    }];
    let dm = compare_dates(q.date_of_birth, p.date_of_birth);
    let (adj, label) = match dm {
        DateMatch::Exact => (0.10, Some("exact")),
        DateMatch::Partial => (0.03, Some("partial")),
        DateMatch::DayMonthSwapped => (0.05, Some("day_month_swapped")),
        DateMatch::Conflict => (-DATE_CONFLICT_PENALTY, Some("conflict")),
        DateMatch::Unknown => (0.0, None),
    };
    score = (score + adj).min(1.0);
    if let (Some(label), Some(a), Some(b)) = (label, q.date_of_birth, p.date_of_birth) {
        fields.push(FieldMatch {
            field: "date_of_birth",
            how: vec![label],
            query: a.to_string(),
            listed: b.to_string(),
            name: None,
        });
    }
    if let (Some(a), Some(b)) = (q.sex, p.sex) {
        if a != Sex::X && b != Sex::X {
            let same = a == b;
            score += if same { 0.0 } else { -0.30 };
            fields.push(FieldMatch {
                field: "sex",
                how: vec![if same { "exact" } else { "conflict" }],
                query: a.as_str().to_owned(),
                listed: b.as_str().to_owned(),
                name: None,
            });
        }
    }
    if let (Some(a), Some(b)) = (&q.nationality, &p.nationality) {
        let same = a.eq_ignore_ascii_case(b);
        score += if same { 0.02 } else { -0.08 };
        fields.push(FieldMatch {
            field: "nationality",
            how: vec![if same { "exact" } else { "conflict" }],
            query: a.to_ascii_uppercase(),
            listed: b.to_ascii_uppercase(),
            name: None,
        });
    }
    (score.clamp(0.0, 1.0), fields)
}
