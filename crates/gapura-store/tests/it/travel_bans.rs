//! Travel-ban orders and watchlist imports in the store: projected as they are appended,
//! searched only through `Personal` (every read recorded), folded for the rules, and rebuilt
//! identically by replay, on every engine.

use gapura_domain::travel_ban::{extend, issue, revoke, ExtendOrder, IssueOrder, RevokeOrder};
use gapura_domain::{
    AuthorityCode, BulkFormat, CountryCode, Date, Event, ImportMode, OrderId, OrderKind, OrderState,
    OrderStatus, PartialDate, Reason, ReasonCategory, Sex, Subject, WatchlistImport, WatchlistList,
};
use gapura_store::sql::Value;
use gapura_store::{ReadAudit, Reader, TravelBanFilter, VerifyOptions};

use crate::stories;
use crate::support::*;

stories!(travel_bans_are_projected_searched_audited_and_replayed);

fn d(s: &str) -> Date {
    s.parse().unwrap()
}

const TODAY: &str = "2026-11-23";

/// What the store reported as read.
#[derive(Default)]
struct Recorded(Vec<(String, Vec<String>, Option<String>)>);

impl ReadAudit for Recorded {
    fn record(&mut self, record: &str, subjects: Vec<String>, query: Option<String>) {
        self.0.push((record.to_owned(), subjects, query));
    }
}

fn order(
    id: &str,
    kind: OrderKind,
    names: &[&str],
    nationality: &str,
    category: ReasonCategory,
    start: &str,
    last_day: Option<&str>,
) -> Event {
    let cmd = IssueOrder {
        order_id: OrderId::parse(id).unwrap(),
        kind,
        authority: AuthorityCode::parse("KPK").unwrap(),
        legal_basis: "UU 6/2011 Pasal 91 ayat (2) huruf d".into(),
        decision_number: format!("KEP-{}/01-23/11/2026", &id[8..]),
        decision_date: d(start),
        subject: Subject {
            names: names.iter().map(|n| n.to_string()).collect(),
            sex: Some(Sex::M),
            place_of_birth: Some("Surabaja".into()),
            date_of_birth: Some(PartialDate::parse("1968-XX-XX").unwrap()),
            nationality: Some(CountryCode::parse(nationality).unwrap()),
            documents: Vec::new(),
            nik: None,
            photo_sha256: None,
        },
        reason: Reason { category, text: "Invented case for a test".into() },
        start: d(start),
        last_day: last_day.map(d),
    };
    Event::TravelBanIssued(issue(cmd, d(start), true).unwrap())
}

fn state(e: &Event) -> OrderState {
    OrderState::from_events([e]).unwrap()
}

/// Orders of every kind and status, an extension, a revocation and a watchlist import are
/// projected; searches by name, alias, id, decision number, kind and status find them and
/// each read is reported with its subjects; the rules' state is the domain's fold of the
/// history; and replay rebuilds the same rows.
fn travel_bans_are_projected_searched_audited_and_replayed(kind: Kind) {
    let place = Place::new(kind, "travel-bans");
    let mut store = place.init("centre");
    store.append(&actor(), &gapura_domain::demo::reference_events().unwrap(), NOW).unwrap();
    let prevention = order(
        "TB-2026-AAAAAAA1",
        OrderKind::Prevention,
        &["Soetjipto Djojohadikoesoemo", "Sucipto Joyohadikusumo"],
        "IDN",
        ReasonCategory::Corruption,
        "2026-10-01",
        Some("2027-03-31"),
    );
    let ended = order(
        "TB-2026-AAAAAAA2",
        OrderKind::TemporaryPrevention,
        &["Tjahjo Wibisono"],
        "IDN",
        ReasonCategory::Criminal,
        "2026-01-05",
        Some("2026-01-24"),
    );
    let life = order(
        "TB-2026-AAAAAAA3",
        OrderKind::Deterrence,
        &["Rashid bin Omar Al-Harbi"],
        "YEM",
        ReasonCategory::Terrorism,
        "2026-06-01",
        None,
    );
    let scheduled = order(
        "TB-2026-AAAAAAA4",
        OrderKind::Deterrence,
        &["Li Wen Hao"],
        "CHN",
        ReasonCategory::ImmigrationOffence,
        "2026-11-23",
        Some("2031-11-22"),
    );
    // Issued today, in force from next month.
    let Event::TravelBanIssued(mut later) = scheduled.clone() else { unreachable!() };
    later.start = d("2026-12-01");
    let scheduled = Event::TravelBanIssued(later);
    let extension = Event::TravelBanExtended(
        extend(
            &state(&prevention),
            ExtendOrder {
                decision_number: "KEP-77/01-23/03/2027".into(),
                legal_basis: "UU 6/2011 Pasal 97 ayat (1)".into(),
                decision_date: d("2026-11-20"),
                new_last_day: d("2027-09-30"),
            },
            d(TODAY),
        )
        .unwrap(),
    );
    let revocation = Event::TravelBanRevoked(
        revoke(
            &state(&life),
            RevokeOrder {
                decision_number: "KEP-9/BNPT/11/2026".into(),
                decision_date: d("2026-11-22"),
                reason: "Invented: the decision was annulled".into(),
            },
            d(TODAY),
        )
        .unwrap(),
    );
    let import = Event::WatchlistImported(WatchlistImport {
        import_id: "sltd-20261123-full".into(),
        list: WatchlistList::StolenLostDocuments,
        mode: ImportMode::Full,
        format: BulkFormat::Jsonl,
        content: gapura_ledger::ContentRef { sha256: gapura_ledger::Hash::of(b"bulk"), size: 4 },
        file_name: "sltd.jsonl".into(),
        source: "Interpol I-24/7".into(),
        accepted: 3,
        rejected: 1,
    });
    store.append(&actor(), &[prevention.clone(), ended, life.clone()], NOW).unwrap();
    store.append(&actor(), &[scheduled, extension.clone(), revocation.clone()], NOW + 1_000).unwrap();
    store.append(&actor(), &[import], NOW + 2_000).unwrap();
    assert_eq!(store.count_rows("travel_ban_orders").unwrap(), 4);
    assert_eq!(store.count_rows("travel_ban_history").unwrap(), 6);

    let mut reader = Reader::open(&place.location).unwrap();
    let mut audit = Recorded::default();
    let search = |reader: &mut Reader, audit: &mut Recorded, f: TravelBanFilter| -> (Vec<String>, i64) {
        let (rows, total) = reader.personal(audit).travel_bans(&f).unwrap();
        (rows.iter().map(|r| r.order_id.to_string()).collect(), total)
    };
    let filter = |text: Option<&str>| TravelBanFilter {
        text: text.map(str::to_owned),
        today: d(TODAY),
        limit: 50,
        ..Default::default()
    };
    // Newest first; any name, in any case and spacing, the id and the decision number.
    let (all, total) = search(&mut reader, &mut audit, filter(None));
    assert_eq!(total, 4);
    assert_eq!(all[0], "TB-2026-AAAAAAA4", "the last issued comes first");
    assert_eq!(search(&mut reader, &mut audit, filter(Some("sucipto  JOYO"))).0, ["TB-2026-AAAAAAA1"]);
    assert_eq!(search(&mut reader, &mut audit, filter(Some("djojohadi"))).0, ["TB-2026-AAAAAAA1"]);
    assert_eq!(search(&mut reader, &mut audit, filter(Some("tb-2026-aaaaaaa2"))).0, ["TB-2026-AAAAAAA2"]);
    assert_eq!(search(&mut reader, &mut audit, filter(Some("kep-aaaaaaa3"))).0, ["TB-2026-AAAAAAA3"]);
    assert_eq!(
        search(&mut reader, &mut audit, filter(Some("100%"))).1,
        0,
        "% is a character, not a wildcard"
    );
    assert_eq!(
        search(&mut reader, &mut audit, filter(Some("Wibisono | Soetjipto"))).1,
        0,
        "no match across two names"
    );
    let by = |status: Option<OrderStatus>, kind: Option<OrderKind>| TravelBanFilter {
        status,
        kind,
        today: d(TODAY),
        limit: 50,
        ..Default::default()
    };
    assert_eq!(search(&mut reader, &mut audit, by(Some(OrderStatus::InForce), None)).0, ["TB-2026-AAAAAAA1"]);
    assert_eq!(search(&mut reader, &mut audit, by(Some(OrderStatus::Ended), None)).0, ["TB-2026-AAAAAAA2"]);
    assert_eq!(search(&mut reader, &mut audit, by(Some(OrderStatus::Revoked), None)).0, ["TB-2026-AAAAAAA3"]);
    assert_eq!(
        search(&mut reader, &mut audit, by(Some(OrderStatus::Scheduled), None)).0,
        ["TB-2026-AAAAAAA4"]
    );
    assert_eq!(search(&mut reader, &mut audit, by(None, Some(OrderKind::Deterrence))).1, 2);
    // Status moves with the day asked about: the prevention order, extended, ends after 30 September.
    let mut later = by(Some(OrderStatus::Ended), None);
    later.today = d("2027-10-01");
    assert_eq!(search(&mut reader, &mut audit, later).0, ["TB-2026-AAAAAAA1", "TB-2026-AAAAAAA2"]);
    // Pages.
    let mut paged = filter(None);
    paged.limit = 3;
    paged.offset = 3;
    assert_eq!(
        search(&mut reader, &mut audit, paged),
        (vec!["TB-2026-AAAAAAA3".to_owned()], 4),
        "ties by id"
    );

    // Every search was reported, with what it returned and what was asked.
    assert_eq!(audit.0.len(), 14);
    assert!(audit.0.iter().all(|(record, ..)| record == "travel_ban"));
    assert_eq!(audit.0[1].1, ["travel_ban:TB-2026-AAAAAAA1"]);
    assert_eq!(audit.0[1].2.as_deref(), Some("sucipto  JOYO"));
    assert_eq!(audit.0[5].1, Vec::<String>::new(), "a search that found nobody is reported too");
    assert_eq!(audit.0[7].2.as_deref(), Some("status=in_force"));

    // One order with its history, oldest first, by whom and when.
    let mut audit = Recorded::default();
    let (row, steps) = reader.personal(&mut audit).travel_ban("TB-2026-AAAAAAA1").unwrap().unwrap();
    assert_eq!(row.subject.names[1], "Sucipto Joyohadikusumo");
    assert_eq!((row.last_day, row.extensions, row.revoked.is_none()), (Some(d("2027-09-30")), 1, true));
    assert_eq!(row.status(d(TODAY)), OrderStatus::InForce);
    assert_eq!(row.issued_by, "officer:test-01");
    assert_eq!(steps.len(), 2);
    assert_eq!((steps[0].at_ms, steps[1].at_ms), (NOW, NOW + 1_000));
    assert_eq!(steps[0].event, prevention);
    assert_eq!(steps[1].event, extension);
    assert_eq!(steps[1].actor, "officer:test-01");
    assert!(reader.personal(&mut audit).travel_ban("TB-2026-ZZZZZZZZ").unwrap().is_none());
    assert_eq!(
        audit.0,
        [
            ("travel_ban".to_owned(), vec!["travel_ban:TB-2026-AAAAAAA1".to_owned()], None),
            ("travel_ban".to_owned(), Vec::new(), None),
        ]
    );

    // The rules' view is the domain's fold of the recorded history.
    let mut expected = state(&prevention);
    expected.evolve(&extension);
    assert_eq!(reader.order_state("TB-2026-AAAAAAA1").unwrap(), Some(expected));
    let mut expected = state(&life);
    expected.evolve(&revocation);
    assert_eq!(reader.order_state("TB-2026-AAAAAAA3").unwrap(), Some(expected));
    assert_eq!(reader.order_state("TB-2026-ZZZZZZZZ").unwrap(), None);
    assert!(reader.authority_exists("KPK").unwrap() && !reader.authority_exists("NOPE").unwrap());
    assert_eq!(reader.authorities().unwrap().len(), 11);
    let imports = reader.watchlist_imports().unwrap();
    assert_eq!(imports.len(), 1);
    assert_eq!(
        (imports[0].list.as_str(), imports[0].accepted, imports[0].rejected),
        ("stolen_lost_documents", 3, 1)
    );
    assert_eq!(imports[0].sha256, gapura_ledger::Hash::of(b"bulk").to_hex());
    drop(reader);

    // Replay rebuilds every row; deep verification agrees.
    let incremental = store.projection_dump().unwrap();
    store.raw_execute("DELETE FROM travel_ban_history", &[]).unwrap();
    store
        .raw_execute("UPDATE travel_ban_orders SET revoked = 0, last_day = $1", &[Value::from("2000-01-01")])
        .unwrap();
    store.raw_execute("DELETE FROM watchlist_imports", &[]).unwrap();
    assert!(
        verify(&mut store, &VerifyOptions { deep: true, ..Default::default() }).is_err(),
        "deep verify sees it"
    );
    store.replay(&mut |_, _| {}).expect("replay");
    assert_eq!(store.projection_dump().unwrap(), incremental);
    verify(&mut store, &VerifyOptions { deep: true, ..Default::default() }).expect("verifies");
}
