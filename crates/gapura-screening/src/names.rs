//! The name index: every listed name as tokens drawn from one vocabulary, postings from each
//! vocabulary token to the names that hold it, and the ways to find, for a query token, the
//! vocabulary tokens that may be the same name (spelling variants, abbreviations, phonetic
//! skeletons, typos by deletion neighbourhoods). Scoring a query against a listed name
//! pairs their tokens and explains each pair.

use std::collections::HashMap;

use xxhash_rust::xxh3::xxh3_64;

use crate::normalize::{TokenInfo, TokenMatch};

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

#[derive(Debug, Default, Clone)]
pub(crate) struct NameIndex {
    pub vocab: Vec<TokenInfo>,
    vocab_ids: HashMap<String, u32>,
    variants: HashMap<String, Vec<u32>>,
    phonetics: HashMap<String, Vec<u32>>,
    abbreviations: Vec<u32>,
    /// (hash of a canonical spelling with one letter deleted, or of the spelling itself,
    /// vocabulary token), sorted; plus entries added since, unsorted.
    deletions: Vec<(u64, u32)>,
    deletions_added: Vec<(u64, u32)>,
    postings: Vec<Vec<u32>>,
    /// Names whose only meaningful token is this vocabulary token.
    singles: HashMap<u32, Vec<u32>>,
    pub names: Vec<NameRec>,
}

/// Deletions are indexed for canonical spellings of at least this many letters (typos are
/// not considered in shorter names).
const TYPO_LETTERS_MIN: usize = 5;
/// Unsorted deletion entries kept before they are merged into the sorted list.
const DELETIONS_ADDED_MAX: usize = 1 << 16;

fn deletion_keys(s: &str) -> impl Iterator<Item = u64> + '_ {
    let b = s.as_bytes();
    std::iter::once(xxh3_64(b)).chain((0..b.len()).map(move |i| {
        let mut v = Vec::with_capacity(b.len() - 1);
        v.extend_from_slice(&b[..i]);
        v.extend_from_slice(&b[i + 1..]);
        xxh3_64(&v)
    }))
}

/// A query token with the vocabulary tokens that may be the same name.
#[derive(Debug, Clone)]
pub(crate) struct QueryToken {
    pub info: TokenInfo,
    /// Vocabulary ids and how they match, for tokens that can select candidates.
    pub matches: Vec<(u32, TokenMatch, u8)>,
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
        if !info.variants.iter().any(|v| v.starts_with('#')) {
            self.phonetics.entry(info.phonetic.clone()).or_default().push(id);
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
        self.vocab.push(info);
        self.postings.push(Vec::new());
        if self.deletions_added.len() > DELETIONS_ADDED_MAX {
            self.merge_deletions();
        }
        id
    }

    fn merge_deletions(&mut self) {
        self.deletions.append(&mut self.deletions_added);
        self.deletions.sort_unstable();
        self.deletions.dedup();
    }

    /// Makes the index ready for queries after a run of additions.
    pub fn seal(&mut self) {
        self.merge_deletions();
    }

    /// Adds a person's name number `name_no`; returns false when it has no usable token.
    pub fn add(&mut self, person: u32, name_no: u8, name: &str) -> bool {
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
            let p = &mut self.postings[*id as usize];
            if p.last() != Some(&name_id) {
                p.push(name_id);
            }
        }
        if meaningful.len() == 1 {
            self.singles.entry(meaningful[0]).or_default().push(name_id);
        }
        self.names.push(NameRec { person, name_no, tokens: ids.into_boxed_slice() });
        true
    }

    fn deletion_hits(&self, key: u64, out: &mut Vec<u32>) {
        let start = self.deletions.partition_point(|(k, _)| *k < key);
        out.extend(self.deletions[start..].iter().take_while(|(k, _)| *k == key).map(|(_, id)| *id));
        out.extend(self.deletions_added.iter().filter(|(k, _)| *k == key).map(|(_, id)| *id));
    }

    /// Whether some listed name holds this token in one of its spellings.
    pub fn knows(&self, info: &TokenInfo) -> bool {
        self.vocab_ids.contains_key(&info.raw) || info.variants.iter().any(|v| self.variants.contains_key(v))
    }

    /// The vocabulary tokens a query token may be, each with how it matches.
    pub fn lookup(&self, info: TokenInfo) -> QueryToken {
        let mut found: Vec<u32> = Vec::new();
        if let Some(id) = self.vocab_ids.get(&info.raw) {
            found.push(*id);
        }
        if !info.initial {
            for v in &info.variants {
                if let Some(ids) = self.variants.get(v) {
                    found.extend(ids);
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
            if let Some(ids) = self.phonetics.get(&info.phonetic) {
                found.extend(ids);
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
        found.sort_unstable();
        found.dedup();
        let matches = found
            .into_iter()
            .filter_map(|id| info.compare(&self.vocab[id as usize]).map(|(m, e)| (id, m, e)))
            .filter(|(_, m, _)| *m != TokenMatch::Initial)
            .collect();
        QueryToken { info, matches }
    }

    /// Candidate names for a query's tokens (and joined pairs): every name that holds two or
    /// more of them, and every name whose only meaningful token is one of them. With a single
    /// meaningful query token, every name holding it. Names `possible` rejects (a date of
    /// birth that rules the person out) are never candidates; `keep` further filters the
    /// names of a single-token query when they are too many.
    pub fn candidates(
        &self,
        units: &[&QueryToken],
        possible: impl Fn(&NameRec) -> bool,
        mut keep: impl FnMut(&NameRec) -> bool,
    ) -> Vec<u32> {
        let lists: Vec<Vec<u32>> = units
            .iter()
            .filter(|u| !u.info.initial)
            .map(|u| {
                let mut l: Vec<u32> = u
                    .matches
                    .iter()
                    .flat_map(|(id, _, _)| self.postings[*id as usize].iter().copied())
                    .filter(|n| possible(&self.names[*n as usize]))
                    .collect();
                l.sort_unstable();
                l.dedup();
                l
            })
            .collect();
        let mut out: Vec<u32> = Vec::new();
        for u in units.iter().filter(|u| !u.info.initial) {
            for (id, _, _) in &u.matches {
                if let Some(s) = self.singles.get(id) {
                    out.extend(s.iter().copied().filter(|n| possible(&self.names[*n as usize])));
                }
            }
        }
        if lists.len() <= 1 {
            if let Some(l) = lists.first() {
                if l.len() <= SINGLE_TOKEN_CANDIDATES_MAX {
                    out.extend(l);
                } else {
                    out.extend(l.iter().copied().filter(|n| keep(&self.names[*n as usize])));
                }
            }
        } else {
            // Names in two or more lists. The largest list is only probed, never walked.
            let largest = (0..lists.len()).max_by_key(|i| lists[*i].len()).unwrap_or(0);
            let mut counts: HashMap<u32, u8> = HashMap::new();
            for (i, l) in lists.iter().enumerate() {
                if i != largest {
                    for n in l {
                        *counts.entry(*n).or_default() += 1;
                    }
                }
            }
            let big = &lists[largest];
            for (n, c) in counts {
                if c >= 2 || big.binary_search(&n).is_ok() {
                    out.push(n);
                }
            }
        }
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
