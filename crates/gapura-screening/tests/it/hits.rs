//! Every kind of hit, every rule, and what must not hit.

use gapura_domain::Sex;
use gapura_screening::{Direction, Effect, Listing, Watchlist};
use jiff::civil::date;

use crate::{hit, query, watchlist, TODAY};

fn name_how(s: &gapura_screening::Screening, reference: &str) -> Vec<&'static str> {
    let h = hit(s, reference).unwrap_or_else(|| panic!("no hit on {reference}: {s:#?}"));
    h.matched.iter().find(|f| f.field == "name").map(|f| f.how.clone()).unwrap_or_default()
}

#[test]
fn exact_name_and_date_stop_exit_under_a_prevention_order() {
    let w = watchlist();
    let s = w.screen(&query("PRATAMA", "MUHAMMAD RIZKI", "1988-09-02", Sex::M, "IDN", Direction::Exit));
    let h = hit(&s, "TB-2026-PREV0002").unwrap();
    assert_eq!(h.rule.code, "prevention_order_stops_exit");
    assert_eq!(s.effect, Effect::Stop);
    assert_eq!(name_how(&s, "TB-2026-PREV0002"), ["exact"]);
    let dob = h.matched.iter().find(|f| f.field == "date_of_birth").unwrap();
    assert_eq!(dob.how, ["exact"]);
}

#[test]
fn a_prevention_order_does_not_stop_entry_and_a_deterrence_order_does_not_stop_exit() {
    let w = watchlist();
    let s = w.screen(&query("PRATAMA", "MUHAMMAD RIZKI", "1988-09-02", Sex::M, "IDN", Direction::Entry));
    assert_eq!(hit(&s, "TB-2026-PREV0002").unwrap().rule.code, "prevention_order_not_for_entry");
    assert_eq!(s.effect, Effect::None);
    let s = w.screen(&query("TAN", "WEI MING", "1983-06-21", Sex::M, "MYS", Direction::Exit));
    assert_eq!(hit(&s, "TB-2026-DETR0002").unwrap().rule.code, "deterrence_order_not_for_exit");
    let s = w.screen(&query("TAN", "WEI MING", "1983-06-21", Sex::M, "MYS", Direction::Entry));
    assert_eq!(hit(&s, "TB-2026-DETR0002").unwrap().rule.code, "deterrence_order_stops_entry");
    assert_eq!(s.effect, Effect::Stop);
}

#[test]
fn old_spellings_are_spelling_variants() {
    let w = watchlist();
    let s = w.screen(&query("PURNOMO", "SUJATMIKO CAHYADI", "1971-04-17", Sex::M, "IDN", Direction::Exit));
    assert_eq!(name_how(&s, "TB-2026-PREV0001"), ["spelling_variant"]);
}

#[test]
fn muhammad_abbreviated_or_as_an_initial() {
    let w = watchlist();
    let s = w.screen(&query("PRATAMA", "MOHD RIZKI", "1988-09-02", Sex::M, "IDN", Direction::Exit));
    assert!(name_how(&s, "TB-2026-PREV0002").contains(&"abbreviation"));
    let s = w.screen(&query("PRATAMA", "M RIZKY", "1988-09-02", Sex::M, "IDN", Direction::Exit));
    let how = name_how(&s, "TB-2026-PREV0002");
    assert!(how.contains(&"initial") && how.contains(&"spelling_variant"), "{how:?}");
    let s = w.screen(&query("PRATAMA", "MOCHAMAD RIZKI", "1988-09-02", Sex::M, "IDN", Direction::Exit));
    assert!(name_how(&s, "TB-2026-PREV0002").contains(&"spelling_variant"));
}

#[test]
fn phonetic_typo_and_reordered_names() {
    let w = watchlist();
    let s = w.screen(&query("KUSUMAWARDANI", "SITI NURHALIZA", "1990-03-11", Sex::F, "IDN", Direction::Exit));
    assert_eq!(name_how(&s, "TB-2026-PREV0004"), ["exact"]);
    let s =
        w.screen(&query("KUSUMAWARDHANY", "SITI NURHALISA", "1990-03-11", Sex::F, "IDN", Direction::Exit));
    let how = name_how(&s, "TB-2026-PREV0004");
    assert!(how.contains(&"spelling_variant") || how.contains(&"phonetic"), "{how:?}");
    let s = w.screen(&query("KUSUMAWARDAMI", "SITI NURHALIZA", "1990-03-11", Sex::F, "IDN", Direction::Exit));
    assert!(name_how(&s, "TB-2026-PREV0004").contains(&"typo"));
    let s = w.screen(&query("SITI", "NURHALIZA KUSUMAWARDANI", "1990-03-11", Sex::F, "IDN", Direction::Exit));
    assert!(name_how(&s, "TB-2026-PREV0004").contains(&"reordered"));
}

#[test]
fn missing_middle_names_and_aliases() {
    let w = watchlist();
    let s = w.screen(&query("PRATAMA", "MUHAMMAD", "1988-09-02", Sex::M, "IDN", Direction::Exit));
    let h = hit(&s, "TB-2026-PREV0002").unwrap();
    let name = h.matched.iter().find(|f| f.field == "name").unwrap();
    assert_eq!(name.name.as_ref().unwrap().unmatched_listed, ["RIZKI"]);
    let s = w.screen(&query("PRATAMA", "IKI", "1988-09-02", Sex::M, "IDN", Direction::Exit));
    assert_eq!(hit(&s, "TB-2026-PREV0002").unwrap().matched[0].listed, "Iki Pratama");
}

#[test]
fn single_name_holders_in_each_mrz_layout() {
    let w = watchlist();
    for (surname, given) in [("WIRATMOKO", ""), ("", "WIRATMOKO"), ("WIRATMOKO", "WIRATMOKO")] {
        let s = w.screen(&query(surname, given, "1965-02-14", Sex::M, "IDN", Direction::Exit));
        let h = hit(&s, "TB-2026-PREV0003").unwrap_or_else(|| panic!("{surname}/{given}: {s:#?}"));
        assert_eq!(h.matched.iter().find(|f| f.field == "date_of_birth").unwrap().how, ["partial"]);
    }
}

#[test]
fn arabic_and_chinese_transliterations() {
    let w = watchlist();
    let s = w.screen(&query("ALKATHIRI", "ABDUL RAHMAN", "1979-12-05", Sex::M, "YEM", Direction::Entry));
    assert_eq!(hit(&s, "TB-2026-DETR0001").unwrap().rule.code, "deterrence_order_stops_entry", "{s:#?}");
    let s = w.screen(&query("CHEN", "WEIMING", "1983-06-21", Sex::M, "MYS", Direction::Entry));
    assert!(name_how(&s, "TB-2026-DETR0002").contains(&"spelling_variant"));
}

#[test]
fn dates_of_birth_swapped_partial_and_conflicting() {
    let w = watchlist();
    let s = w.screen(&query("PRATAMA", "MUHAMMAD RIZKI", "1988-02-09", Sex::M, "IDN", Direction::Exit));
    let h = hit(&s, "TB-2026-PREV0002").unwrap();
    assert_eq!(h.matched.iter().find(|f| f.field == "date_of_birth").unwrap().how, ["day_month_swapped"]);
    let s = w.screen(&query("PRATAMA", "MUHAMMAD RIZKI", "1988-XX-XX", Sex::M, "IDN", Direction::Exit));
    assert!(hit(&s, "TB-2026-PREV0002").is_some());
    // Same name, born twelve years later: another person.
    let s = w.screen(&query("PRATAMA", "MUHAMMAD RIZKI", "2000-09-02", Sex::M, "IDN", Direction::Exit));
    assert!(hit(&s, "TB-2026-PREV0002").is_none(), "{s:#?}");
    // Same name and date, other sex.
    let s = w.screen(&query("KUSUMAWARDANI", "SITI NURHALIZA", "1990-03-11", Sex::M, "IDN", Direction::Exit));
    assert!(hit(&s, "TB-2026-PREV0004").is_none_or(|h| h.score < 0.8));
}

#[test]
fn look_alikes_do_not_hit() {
    let w = watchlist();
    for (surname, given) in
        [("PRATAMA", "AGUS"), ("SANTOSO", "MUHAMMAD RIZKI"), ("KUSUMA", "DEWI"), ("TAN", "WEI LIANG")]
    {
        let s = w.screen(&query(surname, given, "", Sex::M, "IDN", Direction::Exit));
        assert!(s.hits.is_empty(), "{given} {surname}: {s:#?}");
    }
}

#[test]
fn stolen_and_lost_documents_stop_both_directions() {
    let w = watchlist();
    for direction in [Direction::Entry, Direction::Exit] {
        let mut q = query("LESTARI", "DEWI", "1992-01-01", Sex::F, "IDN", direction);
        q.document.as_mut().unwrap().number = "C1234567".into();
        let s = w.screen(&q);
        assert_eq!(s.effect, Effect::Stop);
        assert_eq!(hit(&s, "IDN:C1234567").unwrap().rule.code, "document_reported_stolen");
    }
    let mut q = query("SMITHERSON", "JANE", "1992-01-01", Sex::F, "AUS", Direction::Entry);
    q.document.as_mut().unwrap().number = "PA 098 7654".into();
    assert_eq!(hit(&w.screen(&q), "AUS:PA0987654").unwrap().rule.code, "document_reported_lost");
    // The same number from another state is another document.
    let mut q = query("LESTARI", "DEWI", "1992-01-01", Sex::F, "MYS", Direction::Entry);
    q.document.as_mut().unwrap().number = "C1234567".into();
    assert!(w.screen(&q).hits.is_empty());
}

#[test]
fn a_listed_persons_document_hits_whatever_the_name() {
    let w = watchlist();
    let mut q = query("SMIT", "JAN", "", Sex::M, "NLD", Direction::Entry);
    q.document.as_mut().unwrap().number = "NX7Q41K09".into();
    let s = w.screen(&q);
    let h = hit(&s, "TB-2026-DETR0003").unwrap();
    assert_eq!(h.matched[0].field, "document");
    assert_eq!(h.rule.code, "deterrence_order_stops_entry");
}

#[test]
fn interpol_notices_refer() {
    let w = watchlist();
    let s = w.screen(&query("VARENYKOVA", "OKSANA", "1985-07-19", Sex::F, "UKR", Direction::Entry));
    assert_eq!(hit(&s, "A-1234/5-2026").unwrap().rule.code, "interpol_notice_refer");
    assert_eq!(s.effect, Effect::Refer);
}

#[test]
fn orders_hit_only_while_in_force() {
    let mut w = watchlist();
    // Ended on 2026-06-30.
    let q = query("SULISTYOHADI", "BAMBANG", "1975-05-05", Sex::M, "IDN", Direction::Exit);
    assert!(hit(&w.screen(&q), "TB-2026-ENDED001").is_none());
    let mut in_june = q.clone();
    in_june.date = date(2026, 6, 30);
    assert!(hit(&w.screen(&in_june), "TB-2026-ENDED001").is_some());
    // Not yet started on 2026-09-30; extended, it hits again; revoked, it never does.
    let mut early = query("PRATAMA", "MUHAMMAD RIZKI", "1988-09-02", Sex::M, "IDN", Direction::Exit);
    early.date = date(2026, 9, 30);
    assert!(hit(&w.screen(&early), "TB-2026-PREV0002").is_none());
    w.update_listing("order:TB-2026-ENDED001", |l| {
        if let Listing::TravelBanOrder { last_day, .. } = l {
            *last_day = Some(date(2026, 12, 31));
        }
    });
    assert!(hit(&w.screen(&q), "TB-2026-ENDED001").is_some());
    assert!(w.remove("order:TB-2026-ENDED001"));
    assert!(hit(&w.screen(&q), "TB-2026-ENDED001").is_none());
    assert_eq!(q.date, TODAY);
}

#[test]
fn a_saved_watchlist_loads_with_the_same_answers_and_refuses_damage() {
    let mut w = watchlist();
    let mut bytes = Vec::new();
    w.save("store-identity-1", &mut bytes).unwrap();
    let (loaded, info) = Watchlist::load(&mut bytes.as_slice()).unwrap();
    assert_eq!(info.identity, "store-identity-1");
    for q in [
        query("PRATAMA", "MOHD RIZKI", "1988-09-02", Sex::M, "IDN", Direction::Exit),
        query("TAN", "WEI MING", "1983-06-21", Sex::M, "MYS", Direction::Entry),
    ] {
        assert_eq!(w.screen(&q), loaded.screen(&q));
    }
    assert_eq!(w.counts(), loaded.counts());
    for i in [0, 30, bytes.len() / 2, bytes.len() - 1] {
        let mut bad = bytes.clone();
        bad[i] ^= 0x40;
        assert!(Watchlist::load(&mut bad.as_slice()).is_err(), "flip at {i}");
    }
    assert!(Watchlist::load(&mut &bytes[..bytes.len() - 5]).is_err());
}
