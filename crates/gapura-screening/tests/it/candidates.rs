//! Candidate selection through the index finds exactly the names that testing every listed
//! name against the selection rule finds (`screen_exhaustive`): the same hits and the same
//! number of names scored, for names sharing common tokens, typos and joined words, and dates
//! of birth full, partial, missing, or with day and month swapped.

use std::sync::OnceLock;

use gapura_domain::{OrderKind, PartialDate, Sex};
use gapura_screening::{
    Direction, Effect, Hit, Listing, Person, Query, Screening, Watchlist, HITS_MAX,
    SINGLE_TOKEN_CANDIDATES_MAX,
};
use jiff::civil::date;
use proptest::prelude::*;

use crate::TODAY;

/// A small deterministic generator, so that the population is the same on every run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn pick<'a>(&mut self, from: &[&'a str]) -> &'a str {
        from[self.below(from.len())]
    }
}

const COMMON: &[&str] =
    &["Muhammad", "Siti", "Nur", "Abdul", "Ahmad", "Dewi", "Sri", "Putri", "Agus", "Budi", "Mohd", "M"];
const FAMILY: &[&str] = &[
    "Santoso",
    "Wijaya",
    "Setiawan",
    "Kurniawan",
    "Nasution",
    "Tan",
    "Tjhin",
    "Lim",
    "Rahman",
    "Abdurrahman",
    "Abubakar",
    "Weiming",
    "Kusumawardani",
    "Soeharto",
    "Suharto",
];
/// Syllables of invented words: many words a letter or two apart, typos of each other.
const SYLLABLES: &[&str] = &["wa", "ya", "nu", "ni", "ha", "ta", "ti", "ra", "dar", "yan", "sun", "to"];

fn word(rng: &mut Rng) -> String {
    let mut w: String = (0..2 + rng.below(2)).map(|_| rng.pick(SYLLABLES)).collect();
    w[..1].make_ascii_uppercase();
    w
}

fn name(rng: &mut Rng) -> String {
    let parts = 1 + rng.below(4);
    let mut words: Vec<String> = Vec::new();
    while words.len() < parts {
        words.push(match rng.below(4) {
            0 => rng.pick(COMMON).to_owned(),
            1 => rng.pick(FAMILY).to_owned(),
            _ => word(rng),
        });
    }
    words.join(" ")
}

/// Dates of birth in a few years, so that many people share one, in every form a list has.
fn birth(rng: &mut Rng) -> Option<PartialDate> {
    let (y, m, d) = (1970 + rng.below(4), 1 + rng.below(12), 1 + rng.below(28));
    let text = match rng.below(10) {
        0 => return None,
        1 => format!("{y}-XX-XX"),
        2 => format!("{y}-{m:02}-XX"),
        3 => format!("XXXX-{m:02}-{d:02}"),
        4 => format!("XXXX-{m:02}-XX"),
        5 => "XXXX-XX-XX".to_owned(),
        _ => format!("{y}-{m:02}-{d:02}"),
    };
    Some(PartialDate::parse(&text).unwrap())
}

fn person(i: usize, rng: &mut Rng) -> Person {
    let mut names = vec![name(rng)];
    if rng.below(5) == 0 {
        names.push(name(rng));
    }
    let listing = if rng.below(4) == 0 {
        Listing::InterpolNotice { notice_id: format!("N-{i}"), kind: "red".into() }
    } else {
        Listing::TravelBanOrder {
            order_id: format!("TB-{i}"),
            kind: OrderKind::Prevention,
            start: date(2026, 1, 1),
            last_day: None,
        }
    };
    Person {
        names,
        sex: Some(if rng.below(2) == 0 { Sex::M } else { Sex::F }),
        date_of_birth: birth(rng),
        nationality: Some("IDN".into()),
        documents: Vec::new(),
        listing,
    }
}

/// People listed before the index was sealed.
const SEALED: usize = 3_000;
/// People listed after it was sealed, whose names the index holds unsorted.
const ADDED: usize = 600;

/// The listed people, and two watchlists of them: one that grew after it was sealed (with a
/// few people removed and one listed again), and one saved and loaded again.
fn watchlists() -> &'static (Vec<Person>, Watchlist, Watchlist) {
    static W: OnceLock<(Vec<Person>, Watchlist, Watchlist)> = OnceLock::new();
    W.get_or_init(|| {
        let mut rng = Rng(20_260_101);
        let people: Vec<Person> = (0..SEALED + ADDED).map(|i| person(i, &mut rng)).collect();
        let mut grown = Watchlist::new();
        for p in &people[..SEALED] {
            grown.upsert(p.clone());
        }
        grown.seal();
        for p in &people[SEALED..] {
            grown.upsert(p.clone());
        }
        for p in people.iter().step_by(97) {
            grown.remove(&p.listing.key());
        }
        grown.upsert(people[97].clone());
        let mut saved = Vec::new();
        grown.clone().save("test", &mut saved).unwrap();
        let (loaded, _) = Watchlist::load(&mut saved.as_slice()).unwrap();
        (people, grown, loaded)
    })
}

/// How a traveller's document may write a listed name.
fn vary(name: &str, how: usize, at: usize) -> String {
    let mut w: Vec<String> = name.split(' ').map(str::to_uppercase).collect();
    let n = w.len();
    match how {
        1 if n >= 2 => {
            w.remove(at % n);
        }
        2 if n >= 2 => w.rotate_left(1),
        3 => {
            let x = &mut w[at % n];
            if x.len() >= 4 {
                let i = 1 + at % (x.len() - 2);
                let mut b = x.clone().into_bytes();
                b.swap(i, i + 1);
                *x = String::from_utf8(b).unwrap();
            }
        }
        4 => w.iter_mut().for_each(|x| *x = x.replace('U', "OE").replace('C', "TJ")),
        5 if n >= 2 => w[0].truncate(1),
        6 if n >= 2 => {
            let second = w.remove(1);
            w[0].push_str(&second);
        }
        7 => {
            let x = &mut w[at % n];
            if x.len() >= 6 {
                let rest = x.split_off(x.len() / 2);
                w.insert(at % n + 1, rest);
            }
        }
        8 => w.push("SANTOSO".into()),
        _ => {}
    }
    w.join(" ")
}

/// A traveller's date of birth against a listed one.
fn vary_birth(listed: Option<PartialDate>, how: usize) -> Option<PartialDate> {
    let parse = |s: String| PartialDate::parse(&s).ok();
    let (y, m, d) = match listed {
        Some(l) => (l.year().unwrap_or(1972), l.month().unwrap_or(5), l.day().unwrap_or(9)),
        None => (1972, 5, 9),
    };
    match how {
        0 => listed,
        1 => parse(format!("{y}-{d:02}-{m:02}")),
        2 => parse(format!("{y}-XX-XX")),
        3 => None,
        4 => parse(format!("{}-{m:02}-{d:02}", y + 1)),
        5 => parse(format!("XXXX-{m:02}-{d:02}")),
        6 => parse(format!("{y}-{:02}-{d:02}", m % 12 + 1)),
        _ => parse(format!("{y}-{m:02}-XX")),
    }
}

/// The hits in one order, leaving out those tied with the last when the list was cut at
/// `HITS_MAX` (which of them were cut is not defined).
fn settled(s: &Screening) -> Vec<Hit> {
    let mut hits = s.hits.clone();
    hits.sort_by(|a, b| {
        b.rule
            .effect
            .cmp(&a.rule.effect)
            .then(b.score.total_cmp(&a.score))
            .then(a.reference.cmp(&b.reference))
    });
    if hits.len() == HITS_MAX {
        let last: (Effect, f32) = (hits[HITS_MAX - 1].rule.effect, hits[HITS_MAX - 1].score);
        hits.retain(|h| (h.rule.effect, h.score) != last);
    }
    hits
}

fn check(w: &Watchlist, q: &Query) {
    let (fast, slow) = (w.screen(q), w.screen_exhaustive(q));
    assert_eq!(fast.names_scored, slow.names_scored, "names scored for {q:?}");
    assert_eq!(settled(&fast), settled(&slow), "hits for {q:?}");
}

fn query(name: &str, birth: Option<PartialDate>) -> Query {
    let mut words: Vec<&str> = name.split(' ').collect();
    let surname = words.pop().unwrap_or_default().to_owned();
    Query {
        surname,
        given_names: words.join(" "),
        date_of_birth: birth,
        sex: None,
        nationality: None,
        document: None,
        direction: Direction::Exit,
        date: TODAY,
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(150))]

    #[test]
    fn the_index_selects_the_names_every_name_tested_in_turn_selects(
        who in 0..SEALED + ADDED,
        alias in 0usize..2,
        how in 0usize..10,
        at in 0usize..8,
        birth_how in 0usize..8,
        threshold in prop::sample::select(vec![None, Some(0.5f32), Some(0.65)]),
    ) {
        let (people, grown, loaded) = watchlists();
        let p = &people[who];
        let listed = &p.names[alias.min(p.names.len() - 1)];
        let q = query(&vary(listed, how, at), vary_birth(p.date_of_birth, birth_how));
        for w in [grown, loaded] {
            let mut w = w.clone();
            if let Some(t) = threshold {
                w.set_threshold(t);
            }
            check(&w, &q);
        }
    }
}

#[test]
fn a_single_common_name_held_by_more_than_the_limit_keeps_those_born_that_year() {
    let mut rng = Rng(7);
    let mut w = Watchlist::new();
    for i in 0..SINGLE_TOKEN_CANDIDATES_MAX + 200 {
        let mut p = person(i, &mut rng);
        p.names = vec![if i % 50 == 0 { "Siti".to_owned() } else { format!("Siti {}", word(&mut rng)) }];
        w.upsert(p);
    }
    w.seal();
    for birth in [None, PartialDate::parse("1971-04-02").ok(), PartialDate::parse("1971-XX-XX").ok()] {
        let q = query("SITI", birth);
        check(&w, &q);
        w.set_threshold(0.5);
        check(&w, &q);
        w.set_threshold(0.8);
    }
}
