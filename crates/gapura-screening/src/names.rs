//! The name index: every listed name as tokens drawn from one vocabulary, postings from each
//! vocabulary token to the names that hold it (ordered by the holder's date of birth, which
//! they carry), and the ways to find, for a query token, the vocabulary tokens that may be the
//! same name (spelling variants, abbreviations, phonetic skeletons, typos by deletion
//! neighbourhoods and by sketches of the spellings of a skeleton). Scoring a query against a
//! listed name pairs their tokens and explains each pair.

use std::collections::HashMap;
use std::ops::Range;

use gapura_domain::PartialDate;
use xxhash_rust::xxh3::xxh3_64;

use crate::normalize::{Sketch, TokenInfo, TokenMatch, TypoProbe};

/// Tokens of one name kept for matching; the rest of a longer name is ignored.
pub const NAME_TOKENS_MAX: usize = 12;
/// When the query has a single token (a single name, or a name and initials), the names
/// holding it are all candidates; above this many, only those whose date of birth agrees.
pub const SINGLE_TOKEN_CANDIDATES_MAX: usize = 20_000;

/// A name in the index: whose it is and its tokens.
#[derive(Debug, Clone)]
pub(crate) struct NameRec {
    pub person: u32,
    /// Which of the person's names (0: the primary name, then the aliases).
    pub name_no: u8,
    pub tokens: Box<[u32]>,
}

/// A listed person's date of birth as the index keeps it beside each posting, so that the
/// date rules need not look the person up: year, month and day packed with 0 for an unknown
/// part, so that ordering by it puts the names born in one year together, those of unknown
/// year first.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Birth(u32);

impl Birth {
    const YEAR_SHIFT: u32 = 9;
    const MONTH_SHIFT: u32 = 5;

    pub fn of(d: Option<PartialDate>) -> Birth {
        let Some(d) = d else { return Birth(0) };
        let y = u32::from(d.year().unwrap_or(0));
        let m = u32::from(d.month().unwrap_or(0));
        let dd = u32::from(d.day().unwrap_or(0));
        Birth(y << Self::YEAR_SHIFT | m << Self::MONTH_SHIFT | dd)
    }

    /// The date again; a date with no known part comes back as `None`, which every date rule
    /// treats alike.
    pub fn date(self) -> Option<PartialDate> {
        if self.0 == 0 {
            return None;
        }
        let part = |v: u32| (v != 0).then_some(v);
        let y = part(self.0 >> Self::YEAR_SHIFT).map(|v| v as u16);
        let m = part(self.0 >> Self::MONTH_SHIFT & 0xF).map(|v| v as u8);
        let d = part(self.0 & 0x1F).map(|v| v as u8);
        let back = PartialDate::new(y, m, d).ok();
        debug_assert!(back.is_some(), "a packed date of birth unpacks to a valid date");
        back
    }

    pub fn year(self) -> Option<u16> {
        let y = self.0 >> Self::YEAR_SHIFT;
        (y != 0).then_some(y as u16)
    }

    /// The packed values of the dates in a year.
    fn in_year(year: u16) -> Range<Birth> {
        let y = u32::from(year);
        Birth(y << Self::YEAR_SHIFT)..Birth((y + 1) << Self::YEAR_SHIFT)
    }
}

/// One name in a postings list: its person's date of birth, whether the token is the name's
/// only meaningful one, and the name. Ordered by date, then name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Posting {
    /// The date of birth shifted left by one, and the name's being single in the low bit.
    key: u32,
    name: u32,
}

impl Posting {
    fn new(birth: Birth, name: u32, single: bool) -> Posting {
        Posting { key: birth.0 << 1 | u32::from(single), name }
    }
    fn birth(self) -> Birth {
        Birth(self.key >> 1)
    }
    fn single(self) -> bool {
        self.key & 1 == 1
    }
}

/// A list kept in order for searching, but for the items added since it was last put in
/// order, which follow in the order added: adding stays cheap while an index of millions of
/// names is built, and a search looks at the few added items one by one.
#[derive(Debug, Clone)]
struct Runs<T> {
    items: Vec<T>,
    sorted: u32,
}

impl<T> Default for Runs<T> {
    fn default() -> Self {
        Runs { items: Vec::new(), sorted: 0 }
    }
}

/// Items added to a `Runs` are put in order once they are more than this many, or than an
/// eighth of the list, whichever is more.
const RUNS_ADDED_MIN: usize = 1024;

impl<T: Ord> Runs<T> {
    /// Adds an item; returns whether the list was put in order.
    fn push(&mut self, t: T) -> bool {
        self.items.push(t);
        let added = self.items.len() - self.sorted as usize;
        added > RUNS_ADDED_MIN.max(self.sorted as usize / 8) && self.merge()
    }

    /// Puts the added items in order; returns whether there were any.
    fn merge(&mut self) -> bool {
        if self.sorted as usize == self.items.len() {
            return false;
        }
        self.items[self.sorted as usize..].sort_unstable();
        // Two ordered runs: the stable sort merges them in one pass.
        self.items.sort();
        self.sorted = u32::try_from(self.items.len()).expect("fewer than 2^32 items");
        true
    }

    /// The items in order, and those added since.
    fn parts(&self) -> (&[T], &[T]) {
        self.items.split_at(self.sorted as usize)
    }

    fn iter(&self) -> std::slice::Iter<'_, T> {
        self.items.iter()
    }
}

/// The names that hold one vocabulary token, ordered by (date of birth, name) so that a query
/// with a year of birth walks only that year and the unknown year.
#[derive(Debug, Default, Clone)]
struct Postings {
    runs: Runs<Posting>,
    /// The first this many postings in order have no year of birth.
    unknown_year: u32,
}

impl Postings {
    fn push(&mut self, p: Posting) {
        if self.runs.push(p) {
            self.count_unknown_year();
        }
    }

    fn merge(&mut self) {
        if self.runs.merge() {
            self.count_unknown_year();
        }
    }

    fn count_unknown_year(&mut self) {
        let (sorted, _) = self.runs.parts();
        self.unknown_year = sorted.partition_point(|p| p.birth().year().is_none()) as u32;
    }

    /// Calls `f` for every name, or with `year`, for every name born in that year or in an
    /// unknown year.
    fn walk(&self, year: Option<u16>, mut f: impl FnMut(Posting)) {
        let Some(y) = year else {
            self.runs.iter().for_each(|p| f(*p));
            return;
        };
        let (sorted, added) = self.runs.parts();
        // Those of unknown year first, then those of the year.
        let (unknown, known) = sorted.split_at(self.unknown_year as usize);
        unknown.iter().for_each(|p| f(*p));
        let r = Birth::in_year(y);
        let (start, end) = (Posting::new(r.start, 0, false).key, Posting::new(r.end, 0, false).key);
        let first = known.partition_point(|p| p.key < start);
        known[first..].iter().take_while(|p| p.key < end).for_each(|p| f(*p));
        let wanted = |b: Birth| b.year().is_none_or(|x| x == y);
        added.iter().filter(|p| wanted(p.birth())).for_each(|p| f(*p));
    }
}

/// The years of birth of the names that hold a vocabulary token, as bits: `year % 63`, and
/// bit 63 for an unknown year. Most tokens are held by few names, and for a query born in a
/// year none of them was, this answers without reading the postings (a cache miss for each
/// of the hundreds of tokens a query's tokens may be).
#[derive(Debug, Default, Clone, Copy)]
struct Years(u64);

impl Years {
    const UNKNOWN: u64 = 1 << 63;

    fn bit(year: Option<u16>) -> u64 {
        year.map_or(Self::UNKNOWN, |y| 1 << (y % 63))
    }

    fn add(&mut self, year: Option<u16>) {
        self.0 |= Self::bit(year);
    }

    /// False only when no name was born in `year` or in an unknown year.
    fn may_hold(self, year: u16) -> bool {
        self.0 & (Self::bit(Some(year)) | Self::UNKNOWN) != 0
    }
}

/// The vocabulary tokens of one phonetic skeleton: each spelling `compare` tries as a typo,
/// ordered by length, and the abbreviations among them.
#[derive(Debug, Default, Clone)]
struct Sounds {
    spellings: Runs<Sounding>,
    abbreviations: Vec<u32>,
}

impl Sounds {
    /// The tokens that may be the same as `info`, whose skeleton this is: all of them, and
    /// surely, when the skeleton is long enough to match by sound; all of them
    /// when `info` is an abbreviation; otherwise they can still be the same token or a
    /// spelling variant (found by the caller otherwise), an abbreviation, or a typo, and only
    /// those that may be a typo are taken.
    fn candidates(&self, info: &TokenInfo, sure: &mut Vec<u32>, found: &mut Vec<u32>) {
        if info.sound_matches() && !info.variants.iter().any(|v| v == "#MUHAMAD") {
            sure.extend(self.spellings.iter().map(|s| s.id));
            return;
        }
        if info.sound_matches() || info.abbreviation_of.is_some() {
            found.extend(self.spellings.iter().map(|s| s.id));
            return;
        }
        found.extend(&self.abbreviations);
        let sketches = info.typo_sketches();
        let Some((shortest, longest)) = Sketch::typo_lengths(&sketches) else { return };
        let mine: Vec<TypoProbe> = sketches.into_iter().map(TypoProbe::new).collect();
        let (sorted, added) = self.spellings.parts();
        let first = sorted.partition_point(|s| s.sketch.len() < shortest);
        let near = sorted[first..].iter().take_while(|s| s.sketch.len() <= longest);
        for s in near.chain(added) {
            // `mine[0]` is the query token as written: a typo between the two as written is
            // surely a match.
            if s.as_written && mine[0].is_typo_of(&s.sketch) {
                sure.push(s.id);
            } else if mine.iter().any(|m| m.may_be_typo(&s.sketch)) {
                found.push(s.id);
            }
        }
    }
}

#[derive(Debug, Default, Clone)]
pub(crate) struct NameIndex {
    pub vocab: Vec<TokenInfo>,
    vocab_ids: HashMap<String, u32>,
    variants: HashMap<String, Vec<u32>>,
    phonetics: HashMap<String, Sounds>,
    /// Each vocabulary token's spelling as written, sketched.
    raw_sketches: Vec<Sketch>,
    abbreviations: Vec<u32>,
    /// (hash of a canonical spelling with one letter deleted, or of the spelling itself,
    /// vocabulary token), sorted; plus entries added since, unsorted.
    deletions: Vec<(u64, u32)>,
    deletions_added: Vec<(u64, u32)>,
    /// Where the sorted deletions with each value of the top `deletion_bits` bits of the hash
    /// start, so that a lookup searches a few entries instead of the whole list (the search
    /// of a million entries misses the cache a dozen times).
    deletion_starts: Vec<u32>,
    deletion_bits: u32,
    postings: Vec<Postings>,
    /// Beside `postings`, kept apart so that the few bytes a query reads of each token are
    /// together in memory.
    years: Vec<Years>,
    pub names: Vec<NameRec>,
}

/// Deletions are indexed for canonical spellings of at least this many letters (typos are
/// not considered in shorter names).
const TYPO_LETTERS_MIN: usize = 5;
/// Unsorted deletion entries kept before they are merged into the sorted list.
const DELETIONS_ADDED_MAX: usize = 1 << 16;
/// Sorted deletion entries for each start of the directory into them, on average.
const DELETIONS_PER_START: usize = 8;
/// The directory has at most 2^this starts.
const DELETION_BITS_MAX: u32 = 24;

fn deletion_keys(s: &str) -> impl Iterator<Item = u64> + '_ {
    let b = s.as_bytes();
    std::iter::once(xxh3_64(b)).chain((0..b.len()).map(move |i| {
        let mut v = Vec::with_capacity(b.len() - 1);
        v.extend_from_slice(&b[..i]);
        v.extend_from_slice(&b[i + 1..]);
        xxh3_64(&v)
    }))
}

/// A vocabulary token with one of its spellings, in the tokens of its phonetic skeleton.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct Sounding {
    sketch: Sketch,
    id: u32,
    /// The spelling is the token as written (not a canonical spelling of it).
    as_written: bool,
}

/// A query token with the vocabulary tokens that may be the same name.
#[derive(Debug, Clone)]
pub(crate) struct QueryToken {
    pub info: TokenInfo,
    /// The vocabulary tokens it matches (but as an initial), in order.
    pub matches: Vec<u32>,
}

impl NameIndex {
    fn token_id(&mut self, raw: &str) -> u32 {
        if let Some(id) = self.vocab_ids.get(raw) {
            return *id;
        }
        let id = self.vocab.len() as u32;
        let info = TokenInfo::new(raw);
        for v in &info.variants {
            self.variants.entry(v.clone()).or_default().push(id);
            if v.len() >= TYPO_LETTERS_MIN && !v.starts_with('#') {
                for k in deletion_keys(v) {
                    self.deletions_added.push((k, id));
                }
            }
        }
        // An initial is never a match found by sound or as a typo (`compare` makes it one by
        // its letter alone), so its skeleton is not indexed.
        if !info.initial && !info.variants.iter().any(|v| v.starts_with('#')) {
            let sounds = self.phonetics.entry(info.phonetic.clone()).or_default();
            for (i, sketch) in info.typo_sketches().into_iter().enumerate() {
                sounds.spellings.push(Sounding { sketch, id, as_written: i == 0 });
            }
            if info.abbreviation_of.is_some() {
                sounds.abbreviations.push(id);
            }
        }
        if raw.len() >= TYPO_LETTERS_MIN {
            for k in deletion_keys(raw) {
                self.deletions_added.push((k, id));
            }
        }
        if info.abbreviation_of.is_some() {
            self.abbreviations.push(id);
        }
        self.vocab_ids.insert(raw.to_owned(), id);
        self.raw_sketches.push(Sketch::of(raw));
        self.vocab.push(info);
        self.postings.push(Postings::default());
        self.years.push(Years::default());
        if self.deletions_added.len() > DELETIONS_ADDED_MAX {
            self.merge_deletions();
        }
        id
    }

    fn merge_deletions(&mut self) {
        self.deletions.append(&mut self.deletions_added);
        self.deletions.sort_unstable();
        self.deletions.dedup();
        // About DELETIONS_PER_START entries for each start.
        let starts = (self.deletions.len() / DELETIONS_PER_START).max(1);
        self.deletion_bits = (usize::BITS - starts.leading_zeros()).min(DELETION_BITS_MAX);
        let shift = u64::BITS - self.deletion_bits;
        self.deletion_starts.clear();
        let mut i = 0;
        for top in 0..=(1u64 << self.deletion_bits) {
            while i < self.deletions.len() && self.deletions[i].0 >> shift < top {
                i += 1;
            }
            self.deletion_starts.push(u32::try_from(i).expect("fewer than 2^32 deletions"));
        }
    }

    /// Makes the index ready for queries after a run of additions.
    pub fn seal(&mut self) {
        self.merge_deletions();
        self.postings.iter_mut().for_each(Postings::merge);
        self.phonetics.values_mut().for_each(|s| {
            s.spellings.merge();
        });
    }

    /// Adds a person's name number `name_no`, born on `birth`; returns false when it has no
    /// usable token.
    pub fn add(&mut self, person: u32, name_no: u8, name: &str, birth: Birth) -> bool {
        let mut toks = crate::normalize::tokens(name);
        toks.truncate(NAME_TOKENS_MAX);
        let mut ids: Vec<u32> = Vec::with_capacity(toks.len());
        for t in &toks {
            let id = self.token_id(t);
            if !ids.contains(&id) {
                ids.push(id);
            }
        }
        if ids.is_empty() {
            return false;
        }
        let name_id = self.names.len() as u32;
        let meaningful: Vec<u32> = ids.iter().copied().filter(|i| !self.vocab[*i as usize].initial).collect();
        for id in &ids {
            let single = meaningful.len() == 1 && meaningful[0] == *id;
            self.postings[*id as usize].push(Posting::new(birth, name_id, single));
            self.years[*id as usize].add(birth.year());
        }
        self.names.push(NameRec { person, name_no, tokens: ids.into_boxed_slice() });
        true
    }

    fn deletion_hits(&self, key: u64, out: &mut Vec<u32>) {
        let sorted = if self.deletion_starts.is_empty() {
            &self.deletions[..]
        } else {
            let top = (key >> (u64::BITS - self.deletion_bits)) as usize;
            let r = &self.deletion_starts[top..top + 2];
            &self.deletions[r[0] as usize..r[1] as usize]
        };
        let start = sorted.partition_point(|(k, _)| *k < key);
        out.extend(sorted[start..].iter().take_while(|(k, _)| *k == key).map(|(_, id)| *id));
        out.extend(self.deletions_added.iter().filter(|(k, _)| *k == key).map(|(_, id)| *id));
    }

    /// Whether some listed name holds this token in one of its spellings.
    pub fn knows(&self, info: &TokenInfo) -> bool {
        self.vocab_ids.contains_key(&info.raw) || info.variants.iter().any(|v| self.variants.contains_key(v))
    }

    /// The vocabulary tokens a query token may be (but as an initial).
    ///
    /// Thousands of tokens may be looked at for one query token, and visiting each costs
    /// several cache misses, so `compare` is left out where its answer is certain: for a
    /// token written the same; or, neither being an initial, for a token that shares a
    /// canonical spelling, or has the same skeleton with enough consonants (unless the query
    /// token is a form of Muhammad, which matches only its own forms), or whose spelling as
    /// written is a typo of the query token's. `compare` tries its rules in turn, each rule
    /// before the one that applies either matches or passes on, and only an initial gives
    /// `Initial`. A debug build checks every token taken with `compare`.
    pub fn lookup(&self, info: TokenInfo) -> QueryToken {
        // Tokens that `compare` certainly matches, and tokens it must decide.
        let mut sure: Vec<u32> = Vec::new();
        let mut found: Vec<u32> = Vec::new();
        if let Some(id) = self.vocab_ids.get(&info.raw) {
            sure.push(*id);
        }
        if !info.initial {
            for v in &info.variants {
                if let Some(ids) = self.variants.get(v) {
                    for id in ids {
                        if self.raw_sketches[*id as usize].len() > 1 {
                            sure.push(*id);
                        } else {
                            found.push(*id);
                        }
                    }
                }
            }
            if let Some(a) = info.abbreviation_of {
                if let Some(ids) = self.variants.get(a) {
                    found.extend(ids);
                }
            }
            if info.variants.iter().any(|v| v == "#MUHAMAD") {
                found.extend(&self.abbreviations);
            }
            if let Some(sounds) = self.phonetics.get(&info.phonetic) {
                sounds.candidates(&info, &mut sure, &mut found);
            }
            let mut keys: Vec<u64> = Vec::new();
            for v in info.variants.iter().chain(std::iter::once(&info.raw)) {
                if v.len() >= TYPO_LETTERS_MIN && !v.starts_with('#') {
                    keys.extend(deletion_keys(v));
                }
            }
            keys.sort_unstable();
            keys.dedup();
            for k in keys {
                self.deletion_hits(k, &mut found);
            }
        }
        sure.sort_unstable();
        sure.dedup();
        found.sort_unstable();
        found.dedup();
        let raw = Sketch::of(&info.raw);
        let mut matches = sure;
        let surely = matches.len();
        for id in found {
            if matches[..surely].binary_search(&id).is_ok() {
                continue;
            }
            // The sketches tell a typo between the spellings as written without visiting
            // the token.
            let surely_typo = !info.initial && raw.is_typo_of(&self.raw_sketches[id as usize]);
            if surely_typo
                || info.compare(&self.vocab[id as usize]).is_some_and(|(m, _)| m != TokenMatch::Initial)
            {
                matches.push(id);
            }
        }
        matches.sort_unstable();
        debug_assert!(
            matches.iter().all(|id| info
                .compare(&self.vocab[*id as usize])
                .is_some_and(|(m, _)| m != TokenMatch::Initial)),
            "every token taken as a match of {} is one",
            info.raw
        );
        QueryToken { info, matches }
    }

    /// Candidate names for a query's tokens (and joined pairs): every name that holds two or
    /// more of them, and every name whose only meaningful token is one of them. With a single
    /// meaningful query token, every name holding it. Names `possible` rejects (a date of
    /// birth that rules the person out) are never candidates; `keep` further filters the
    /// names of a single-token query when they are too many. With `year`, `possible` must
    /// reject every name born in another known year: those are not even walked.
    pub fn candidates(
        &self,
        units: &[&QueryToken],
        year: Option<u16>,
        possible: impl Fn(Birth) -> bool,
        keep: impl Fn(Birth) -> bool,
    ) -> Vec<u32> {
        let mut out: Vec<u32> = Vec::new();
        let mut lists: Vec<Vec<Posting>> = Vec::new();
        for u in units.iter().filter(|u| !u.info.initial) {
            let mut l: Vec<Posting> = Vec::new();
            for id in &u.matches {
                if year.is_some_and(|y| !self.years[*id as usize].may_hold(y)) {
                    continue;
                }
                self.postings[*id as usize].walk(year, |p| {
                    if possible(p.birth()) {
                        l.push(p);
                        if p.single() {
                            out.push(p.name);
                        }
                    }
                });
            }
            l.sort_unstable_by_key(|p| p.name);
            l.dedup_by_key(|p| p.name);
            lists.push(l);
        }
        if lists.len() <= 1 {
            if let Some(l) = lists.first() {
                if l.len() <= SINGLE_TOKEN_CANDIDATES_MAX {
                    out.extend(l.iter().map(|p| p.name));
                } else {
                    out.extend(l.iter().filter(|p| keep(p.birth())).map(|p| p.name));
                }
            }
        } else {
            // Names in two or more lists: the others merged and counted; a name in only one of
            // them is looked up in the largest list, which is never walked.
            let largest = (0..lists.len()).max_by_key(|i| lists[*i].len()).unwrap_or(0);
            let mut rest: Vec<u32> = Vec::with_capacity(
                lists.iter().enumerate().filter(|(i, _)| *i != largest).map(|(_, l)| l.len()).sum(),
            );
            for (i, l) in lists.iter().enumerate() {
                if i != largest {
                    rest.extend(l.iter().map(|p| p.name));
                }
            }
            rest.sort_unstable();
            let big = &lists[largest];
            for run in rest.chunk_by(|a, b| a == b) {
                let n = run[0];
                if run.len() >= 2 || big.binary_search_by_key(&n, |p| p.name).is_ok() {
                    out.push(n);
                }
            }
        }
        out.sort_unstable();
        out.dedup();
        out
    }

    /// The same candidates as `candidates`, found by testing every listed name against its
    /// definition instead of walking postings: the reference `candidates` is tested against.
    pub fn candidates_exhaustive(
        &self,
        units: &[&QueryToken],
        possible: impl Fn(&NameRec) -> bool,
        keep: impl Fn(&NameRec) -> bool,
    ) -> Vec<u32> {
        let units: Vec<&QueryToken> = units.iter().copied().filter(|u| !u.info.initial).collect();
        let matches = |u: &QueryToken, t: u32| u.matches.binary_search(&t).is_ok();
        let mut out: Vec<u32> = Vec::new();
        let mut holding_the_one: Vec<u32> = Vec::new();
        for (n, rec) in self.names.iter().enumerate() {
            let n = n as u32;
            if !possible(rec) {
                continue;
            }
            let held = units.iter().filter(|u| rec.tokens.iter().any(|t| matches(u, *t))).count();
            let meaningful: Vec<u32> =
                rec.tokens.iter().copied().filter(|t| !self.vocab[*t as usize].initial).collect();
            if meaningful.len() == 1 && units.iter().any(|u| matches(u, meaningful[0])) {
                out.push(n);
            }
            if units.len() == 1 && held == 1 {
                holding_the_one.push(n);
            } else if units.len() >= 2 && held >= 2 {
                out.push(n);
            }
        }
        if holding_the_one.len() > SINGLE_TOKEN_CANDIDATES_MAX {
            holding_the_one.retain(|n| keep(&self.names[*n as usize]));
        }
        out.extend(holding_the_one);
        out.sort_unstable();
        out.dedup();
        out
    }
}

/// One paired token of an explanation.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct TokenPair {
    pub query: String,
    pub listed: String,
    pub how: TokenMatch,
}

/// How a query's name compares with a listed name.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct NameComparison {
    pub score: f32,
    pub pairs: Vec<TokenPair>,
    /// The matched tokens stand in a different order on the two sides.
    pub reordered: bool,
    pub unmatched_query: Vec<String>,
    pub unmatched_listed: Vec<String>,
}

/// Weight of a token in a name's score: common names and initials say less.
fn weight(t: &TokenInfo) -> f32 {
    if t.initial || t.common {
        0.5
    } else {
        1.0
    }
}

/// How much an unmatched token costs when it is one of the extra tokens of the longer name
/// (a missing middle name), relative to one that should have matched.
const EXTRA_TOKEN_COST: f32 = 0.35;

/// Compares query tokens (in natural order: given names, then surname) with a listed name's
/// tokens. `memo` caches token comparisons by (query index, vocabulary id).
pub(crate) fn compare_names(
    query: &[QueryToken],
    listed: &[u32],
    vocab: &[TokenInfo],
    memo: &mut HashMap<(u8, u32), Option<(TokenMatch, u8)>>,
) -> NameComparison {
    struct Cand {
        sim: f32,
        qs: Vec<usize>,
        ls: Vec<usize>,
        how: TokenMatch,
    }
    let mut cands: Vec<Cand> = Vec::new();
    for (qi, q) in query.iter().enumerate() {
        for (li, lid) in listed.iter().enumerate() {
            let m = *memo.entry((qi as u8, *lid)).or_insert_with(|| q.info.compare(&vocab[*lid as usize]));
            if let Some((how, edits)) = m {
                cands.push(Cand { sim: how.similarity(edits), qs: vec![qi], ls: vec![li], how });
            }
        }
    }
    // Two words on one side written as one on the other (Abdul Rahman / Abdurrahman,
    // Wei Ming / Weiming, Abu Bakar / Abubakar): tried only for words that matched nothing
    // directly.
    let q_direct: Vec<bool> = (0..query.len()).map(|qi| cands.iter().any(|c| c.qs[0] == qi)).collect();
    let l_direct: Vec<bool> = (0..listed.len()).map(|li| cands.iter().any(|c| c.ls[0] == li)).collect();
    let joined = |a: &TokenInfo, b: &TokenInfo| TokenInfo::new(&format!("{}{}", a.raw, b.raw));
    for (qi, q) in query.iter().enumerate() {
        if q.info.initial || q_direct[qi] {
            continue;
        }
        for li in 0..listed.len().saturating_sub(1) {
            let (a, b) = (&vocab[listed[li] as usize], &vocab[listed[li + 1] as usize]);
            if a.initial || b.initial || q.info.raw.len() < a.raw.len().max(b.raw.len()) + 2 {
                continue;
            }
            if let Some((how, edits)) = q.info.compare(&joined(a, b)) {
                let how = if how == TokenMatch::Exact { TokenMatch::SpellingVariant } else { how };
                cands.push(Cand { sim: how.similarity(edits), qs: vec![qi], ls: vec![li, li + 1], how });
            }
        }
    }
    for qi in 0..query.len().saturating_sub(1) {
        let (a, b) = (&query[qi].info, &query[qi + 1].info);
        if a.initial || b.initial {
            continue;
        }
        let j = joined(a, b);
        for (li, lid) in listed.iter().enumerate() {
            let l = &vocab[*lid as usize];
            if l.initial || l_direct[li] || l.raw.len() < a.raw.len().max(b.raw.len()) + 2 {
                continue;
            }
            if let Some((how, edits)) = j.compare(l) {
                let how = if how == TokenMatch::Exact { TokenMatch::SpellingVariant } else { how };
                cands.push(Cand { sim: how.similarity(edits), qs: vec![qi, qi + 1], ls: vec![li], how });
            }
        }
    }
    cands.sort_by(|a, b| b.sim.total_cmp(&a.sim).then(a.qs.len().cmp(&b.qs.len())));
    let mut q_used = vec![false; query.len()];
    let mut l_used = vec![false; listed.len()];
    let mut chosen: Vec<&Cand> = Vec::new();
    for c in &cands {
        if c.qs.iter().any(|i| q_used[*i]) || c.ls.iter().any(|i| l_used[*i]) {
            continue;
        }
        c.qs.iter().for_each(|i| q_used[*i] = true);
        c.ls.iter().for_each(|i| l_used[*i] = true);
        chosen.push(c);
    }
    let qw = |i: usize| weight(&query[i].info);
    let lw = |i: usize| weight(&vocab[listed[i] as usize]);
    let mut matched = 0.0f32;
    let mut total = 0.0f32;
    let mut strong = false;
    for c in &chosen {
        let w = c.qs.iter().map(|i| qw(*i)).chain(c.ls.iter().map(|i| lw(*i))).fold(0.0f32, f32::max);
        matched += c.sim * w;
        total += w;
        if c.how != TokenMatch::Initial {
            strong = true;
        }
    }
    let q_un: Vec<usize> = (0..query.len()).filter(|i| !q_used[*i]).collect();
    let l_un: Vec<usize> = (0..listed.len()).filter(|i| !l_used[*i]).collect();
    // The longer name's extra tokens (beyond the other's length) cost less: a middle name
    // missing on one side.
    let q_len = query.len();
    let l_len = listed.len();
    let mut q_extra = q_len.saturating_sub(l_len);
    let mut l_extra = l_len.saturating_sub(q_len);
    let cost = |w: f32, extra: &mut usize| {
        if *extra > 0 {
            *extra -= 1;
            w * EXTRA_TOKEN_COST
        } else {
            w
        }
    };
    let mut q_sorted = q_un.clone();
    q_sorted.sort_by(|a, b| qw(*a).total_cmp(&qw(*b)));
    for i in &q_sorted {
        total += cost(qw(*i), &mut q_extra);
    }
    let mut l_sorted = l_un.clone();
    l_sorted.sort_by(|a, b| lw(*a).total_cmp(&lw(*b)));
    for i in &l_sorted {
        total += cost(lw(*i), &mut l_extra);
    }
    let score = if strong && total > 0.0 { matched / total } else { 0.0 };
    let mut order: Vec<(usize, usize)> = chosen.iter().map(|c| (c.qs[0], c.ls[0])).collect();
    order.sort();
    let reordered = order.windows(2).any(|w| w[0].1 > w[1].1);
    let mut pairs: Vec<(usize, TokenPair)> = chosen
        .iter()
        .map(|c| {
            let q: Vec<&str> = c.qs.iter().map(|i| query[*i].info.raw.as_str()).collect();
            let l: Vec<&str> = c.ls.iter().map(|i| vocab[listed[*i] as usize].raw.as_str()).collect();
            (c.qs[0], TokenPair { query: q.join(" "), listed: l.join(" "), how: c.how })
        })
        .collect();
    pairs.sort_by_key(|p| p.0);
    NameComparison {
        score,
        pairs: pairs.into_iter().map(|p| p.1).collect(),
        reordered,
        unmatched_query: q_un.iter().map(|i| query[*i].info.raw.clone()).collect(),
        unmatched_listed: l_un.iter().map(|i| vocab[listed[*i] as usize].raw.clone()).collect(),
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    /// The lookup as first written: every token any route finds (every token of the same
    /// skeleton, deletions found by scanning them all) is compared.
    fn lookup_comparing_all(index: &NameIndex, info: &TokenInfo) -> Vec<u32> {
        let mut found: Vec<u32> = index.vocab_ids.get(&info.raw).into_iter().copied().collect();
        if !info.initial {
            for v in &info.variants {
                found.extend(index.variants.get(v).into_iter().flatten());
            }
            if let Some(a) = info.abbreviation_of {
                found.extend(index.variants.get(a).into_iter().flatten());
            }
            if info.variants.iter().any(|v| v == "#MUHAMAD") {
                found.extend(&index.abbreviations);
            }
            let by_sound =
                |t: &TokenInfo| t.phonetic == info.phonetic && !t.variants.iter().any(|v| v.starts_with('#'));
            found.extend((0..index.vocab.len() as u32).filter(|id| by_sound(&index.vocab[*id as usize])));
            for v in info.variants.iter().chain(std::iter::once(&info.raw)) {
                if v.len() >= TYPO_LETTERS_MIN && !v.starts_with('#') {
                    for k in deletion_keys(v) {
                        let all = index.deletions.iter().chain(&index.deletions_added);
                        found.extend(all.filter(|(x, _)| *x == k).map(|(_, id)| *id));
                    }
                }
            }
        }
        found.sort_unstable();
        found.dedup();
        found.retain(|id| {
            info.compare(&index.vocab[*id as usize]).is_some_and(|(m, _)| m != TokenMatch::Initial)
        });
        found
    }

    const SYLLABLES: &[&str] =
        &["WA", "YA", "NU", "NI", "HA", "TA", "TI", "RA", "DAR", "YAN", "SUN", "TO", "OE"];
    const SPECIAL: &[&str] = &[
        "MUHAMMAD",
        "MOCHAMAD",
        "MOHD",
        "MD",
        "M",
        "SITI",
        "ABDUL",
        "RAHMAN",
        "ABDURRAHMAN",
        "TAN",
        "TJHIN",
        "WEIMING",
        "KUSUMAWARDHANI",
        "KUSUMAWARDANI",
        "SOEDJATMIKO",
        "AA",
    ];

    fn index() -> &'static NameIndex {
        static INDEX: std::sync::OnceLock<NameIndex> = std::sync::OnceLock::new();
        INDEX.get_or_init(|| {
            let mut index = NameIndex::default();
            let mut n = 0u32;
            for a in SYLLABLES {
                for b in SYLLABLES {
                    for c in ["", "TO", "RA", "NI"] {
                        index.add(
                            n,
                            0,
                            &format!("{a}{b}{c} {}", SPECIAL[n as usize % SPECIAL.len()]),
                            Birth(0),
                        );
                        n += 1;
                    }
                }
                // Some added after sealing, their deletions unsorted.
                if *a == "TO" {
                    index.seal();
                }
            }
            index
        })
    }

    fn query_word() -> impl Strategy<Value = String> {
        let made = prop::collection::vec(prop::sample::select(SYLLABLES), 1..5).prop_map(|s| s.concat());
        let special = prop::sample::select(SPECIAL).prop_map(str::to_owned);
        (prop_oneof![made, special], any::<prop::sample::Index>(), 0u8..4, prop::sample::select(SYLLABLES))
            .prop_map(|(w, at, edit, s)| {
                let mut b = w.into_bytes();
                let i = at.index(b.len());
                match edit {
                    0 => b[i] = s.as_bytes()[0],
                    1 if i + 1 < b.len() => b.swap(i, i + 1),
                    2 if b.len() > 1 => {
                        b.remove(i);
                    }
                    _ => {}
                }
                String::from_utf8(b).expect("ASCII")
            })
    }

    proptest! {
        #[test]
        fn lookup_finds_what_comparing_every_found_token_finds(word in query_word()) {
            let index = index();
            let info = TokenInfo::new(&word);
            let expected = lookup_comparing_all(index, &info);
            prop_assert_eq!(index.lookup(info).matches, expected);
        }
    }
}
