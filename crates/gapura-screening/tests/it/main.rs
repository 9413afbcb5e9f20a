//! Screening as its users see it: a watchlist of invented people, orders, notices and
//! documents, and travellers screened against it.

mod bulk;
mod candidates;
mod eval;
mod hits;

use gapura_domain::{OrderKind, PartialDate, Sex};
use gapura_screening::documents::{fingerprint, DocumentListing, DocumentSet, DocumentStatus, DocumentType};
use gapura_screening::{
    Direction, Listing, Person, PersonDocument, Query, QueryDocument, Screening, Watchlist,
};
use jiff::civil::{date, Date};

pub const TODAY: Date = date(2026, 11, 23);

pub fn dob(s: &str) -> Option<PartialDate> {
    Some(PartialDate::parse(s).unwrap())
}

pub fn order(id: &str, kind: OrderKind, names: &[&str], birth: &str, sex: Sex, nat: &str) -> Person {
    Person {
        names: names.iter().map(|s| s.to_string()).collect(),
        sex: Some(sex),
        date_of_birth: dob(birth),
        nationality: Some(nat.into()),
        documents: Vec::new(),
        listing: Listing::TravelBanOrder {
            order_id: id.into(),
            kind,
            start: date(2026, 10, 1),
            last_day: Some(date(2027, 3, 31)),
        },
    }
}

/// A watchlist of invented people.
pub fn watchlist() -> Watchlist {
    let mut w = Watchlist::new();
    w.upsert(order(
        "TB-2026-PREV0001",
        OrderKind::Prevention,
        &["Soedjatmiko Tjahjadi Poernomo"],
        "1971-04-17",
        Sex::M,
        "IDN",
    ));
    w.upsert(order(
        "TB-2026-PREV0002",
        OrderKind::Prevention,
        &["Muhammad Rizki Pratama", "Iki Pratama"],
        "1988-09-02",
        Sex::M,
        "IDN",
    ));
    w.upsert(order(
        "TB-2026-PREV0003",
        OrderKind::TemporaryPrevention,
        &["Wiratmoko"],
        "1965-XX-XX",
        Sex::M,
        "IDN",
    ));
    w.upsert(order(
        "TB-2026-PREV0004",
        OrderKind::Prevention,
        &["Siti Nurhaliza Kusumawardani"],
        "1990-03-11",
        Sex::F,
        "IDN",
    ));
    w.upsert(order(
        "TB-2026-DETR0001",
        OrderKind::Deterrence,
        &["Abdurrahman Al-Kathiri"],
        "1979-12-05",
        Sex::M,
        "YEM",
    ));
    w.upsert(order(
        "TB-2026-DETR0002",
        OrderKind::Deterrence,
        &["Tan Wei Ming"],
        "1983-06-21",
        Sex::M,
        "MYS",
    ));
    let mut with_doc = order(
        "TB-2026-DETR0003",
        OrderKind::Deterrence,
        &["Gerhardus Van Leeuwenhorst"],
        "1960-01-30",
        Sex::M,
        "NLD",
    );
    with_doc.documents.push(PersonDocument { issuing_state: "NLD".into(), number: "NX7Q41K09".into() });
    w.upsert(with_doc);
    let mut ended = order(
        "TB-2026-ENDED001",
        OrderKind::Prevention,
        &["Bambang Sulistyohadi"],
        "1975-05-05",
        Sex::M,
        "IDN",
    );
    ended.listing = Listing::TravelBanOrder {
        order_id: "TB-2026-ENDED001".into(),
        kind: OrderKind::Prevention,
        start: date(2026, 1, 1),
        last_day: Some(date(2026, 6, 30)),
    };
    w.upsert(ended);
    w.upsert(Person {
        names: vec!["Oksana Varenykova".into()],
        sex: Some(Sex::F),
        date_of_birth: dob("1985-XX-XX"),
        nationality: Some("UKR".into()),
        documents: vec![],
        listing: Listing::InterpolNotice { notice_id: "A-1234/5-2026".into(), kind: "red".into() },
    });
    w.set_documents(DocumentSet::build(vec![
        (
            fingerprint("IDN", "C1234567"),
            DocumentListing { status: DocumentStatus::Stolen, document_type: DocumentType::Passport },
        ),
        (
            fingerprint("AUS", "PA0987654"),
            DocumentListing { status: DocumentStatus::Lost, document_type: DocumentType::Passport },
        ),
    ]));
    w.seal();
    w
}

pub fn query(surname: &str, given: &str, birth: &str, sex: Sex, nat: &str, direction: Direction) -> Query {
    Query {
        surname: surname.into(),
        given_names: given.into(),
        date_of_birth: if birth.is_empty() { None } else { dob(birth) },
        sex: Some(sex),
        nationality: Some(nat.into()),
        document: Some(QueryDocument {
            number: "X0000001".into(),
            issuing_state: nat.into(),
            document_type: Some("P".into()),
        }),
        direction,
        date: TODAY,
    }
}

/// The hit on `reference`, if any.
pub fn hit<'a>(s: &'a Screening, reference: &str) -> Option<&'a gapura_screening::Hit> {
    s.hits.iter().find(|h| h.reference == reference)
}
