//! The demo officers and travel-ban orders (invented people), and the events that create an
//! officer, shared by `gapura demo` and `gapura officer create`.

use gapura_domain::travel_ban::{self, ExtendOrder, IssueOrder, RevokeOrder};
use gapura_domain::{
    AuthorityCode, CountryCode, Date, DocumentKind, Event, Grant, Nik, OfficerCreated, OfficerGrant,
    OfficerId, OrderId, OrderKind, OrderState, PartialDate, Reason, ReasonCategory, Role, Scope,
    ServicePointCode, Sex, Subject, SubjectDocument,
};

use crate::auth;
use crate::error::ApiError;

/// The password of every demo officer. It exists only in stores made by `gapura demo`.
pub const DEMO_PASSWORD: &str = "gapura-demo-2026";

/// Invented officers covering every role and each kind of scope.
pub const DEMO_OFFICERS: &[(&str, &str, &str, &str, &str)] = &[
    ("admin", "Ratna Kusumawardani", "KANIM-JKS", "system-administrator", "national"),
    ("admin.banten", "Hendra Wicaksono", "KANWIL-BANTEN", "system-administrator", "region:KANWIL-BANTEN"),
    ("supervisor.cgk", "Yohanes Marbun", "TPI-CGK", "supervisor", "point:TPI-CGK"),
    ("border.cgk", "Dewi Lestiani", "TPI-CGK", "border-officer", "point:TPI-CGK"),
    ("passport.jks", "Agus Prasetiyo", "KANIM-JKS", "passport-officer", "point:KANIM-JKS"),
    ("visa.pusat", "Meilani Siregar", "KANIM-JKS", "visa-officer", "national"),
    ("cekal.pusat", "Bambang Sutrisna", "KANIM-JKS", "travel-ban-administrator", "national"),
    ("auditor", "Sri Handayani Putri", "KANIM-JKS", "auditor", "national"),
];

/// The events that create an officer with a password and grants. Hashes the password.
pub fn officer_events(
    login: &str,
    name: &str,
    point: &str,
    password: &str,
    grants: &[(String, String)],
) -> Result<Vec<Event>, ApiError> {
    let officer = OfficerId::parse(login).map_err(|e| ApiError::invalid("login", e.to_string()))?;
    let home_point = ServicePointCode::parse(point).map_err(|e| ApiError::invalid("point", e.to_string()))?;
    let name = name.trim();
    if name.is_empty() || name.chars().count() > gapura_domain::NAME_CHARS_MAX {
        return Err(ApiError::invalid(
            "name",
            format!("a name is 1 to {} characters", gapura_domain::NAME_CHARS_MAX),
        ));
    }
    let mut parsed = Vec::new();
    for (role, scope) in grants {
        parsed.push(Grant {
            role: Role::parse(role).map_err(|e| ApiError::invalid("role", e.to_string()))?,
            scope: Scope::parse(scope).map_err(|e| ApiError::invalid("scope", e.to_string()))?,
        });
    }
    let password_hash = auth::hash_password(password)?;
    Ok(creation_events(officer, name.to_owned(), home_point, password_hash, parsed))
}

/// The events that record a new officer: the account, then each grant.
pub fn creation_events(
    officer: OfficerId,
    name: String,
    home_point: ServicePointCode,
    password_hash: String,
    grants: Vec<Grant>,
) -> Vec<Event> {
    let mut events = vec![Event::OfficerCreated(OfficerCreated {
        officer: officer.clone(),
        name,
        home_point,
        password_hash,
    })];
    for g in grants {
        events.push(Event::RoleGranted(OfficerGrant {
            officer: officer.clone(),
            role: g.role,
            scope: g.scope,
        }));
    }
    events
}

/// Every demo officer's events, then the demo travel-ban orders dated around today in WIB by
/// the system clock: what `gapura init --demo` records. Tests use [`demo_events`] with a
/// fixed date.
pub fn demo_officer_events() -> Result<Vec<Event>, ApiError> {
    demo_events(gapura_domain::today_wib(crate::system_clock()()))
}

/// The demo officers, then the demo travel-ban orders dated around `today`.
pub fn demo_events(today: Date) -> Result<Vec<Event>, ApiError> {
    let mut out = officers_only()?;
    out.extend(demo_travel_ban_events(today)?);
    Ok(out)
}

/// Every demo officer's events.
fn officers_only() -> Result<Vec<Event>, ApiError> {
    let mut out = Vec::new();
    for (login, name, point, role, scope) in DEMO_OFFICERS {
        out.extend(officer_events(
            login,
            name,
            point,
            DEMO_PASSWORD,
            &[(role.to_string(), scope.to_string())],
        )?);
    }
    Ok(out)
}

/// The demo logins to show on the login page.
pub fn demo_logins() -> Vec<(String, String)> {
    DEMO_OFFICERS
        .iter()
        .map(|(l, _, _, role, _)| (format!("{l} ({role})"), DEMO_PASSWORD.to_owned()))
        .collect()
}

/// An invented person named by a demo order: names in old and new spellings (oe/u, dj/j,
/// tj/c, nj/ny, sj/sy, ch/kh, the many ways of writing Muhammad), so that screening has
/// something to find. None of them is meant to be a real person.
struct DemoOrder {
    /// The random bytes of its id, fixed so that the demo's ids are the same in every store
    /// made on the same day.
    id: [u8; 5],
    kind: OrderKind,
    authority: &'static str,
    names: &'static [&'static str],
    sex: Sex,
    place_of_birth: &'static str,
    date_of_birth: &'static str,
    nationality: &'static str,
    nik: Option<&'static str>,
    passport: Option<(&'static str, &'static str)>,
    category: ReasonCategory,
    reason: &'static str,
    /// The decision and the first day, in days before today (negative: after).
    decided_days_ago: i32,
    starts_days_ago: i32,
    /// The period: months, days or years from the first day; `None` for life.
    period: Option<Period>,
}

#[derive(Clone, Copy)]
enum Period {
    Months(i32),
    Days(i32),
    Years(i32),
}

const DEMO_ORDERS: &[DemoOrder] = &[
    // Prevention, in force: corruption, a suspect named by the KPK.
    DemoOrder {
        id: [0x11, 0x22, 0x33, 0x44, 0x01],
        kind: OrderKind::Prevention,
        authority: "KPK",
        names: &["Soedjarwo Tjiptohadikoesoemo", "Sujarwo Ciptohadikusumo", "Djarwo Tjipto"],
        sex: Sex::M,
        place_of_birth: "Djokjakarta",
        date_of_birth: "1966-04-12",
        nationality: "IDN",
        nik: Some("3471011204660003"),
        passport: Some(("C4471820", "IDN")),
        category: ReasonCategory::Corruption,
        reason: "Saksi dalam penyidikan perkara korupsi pengadaan (perkara rekaan untuk demo)",
        decided_days_ago: 40,
        starts_days_ago: 40,
        period: Some(Period::Months(6)),
    },
    // Prevention extended once (see `demo_travel_ban_events`): tax arrears.
    DemoOrder {
        id: [0x11, 0x22, 0x33, 0x44, 0x02],
        kind: OrderKind::Prevention,
        authority: "MENKEU",
        names: &["Tjoek Hartanto Widjaja", "Cuk Hartanto Wijaya", "Tjoek Hartanto"],
        sex: Sex::M,
        place_of_birth: "Soerabaja",
        date_of_birth: "1971-XX-XX",
        nationality: "IDN",
        nik: Some("3578010101710021"),
        passport: None,
        category: ReasonCategory::Tax,
        reason: "Penanggung pajak dengan utang pajak yang belum dilunasi (perkara rekaan untuk demo)",
        decided_days_ago: 200,
        starts_days_ago: 200,
        period: Some(Period::Months(6)),
    },
    // Temporary prevention, in force: 20 days at most.
    DemoOrder {
        id: [0x11, 0x22, 0x33, 0x44, 0x03],
        kind: OrderKind::TemporaryPrevention,
        authority: "POLRI",
        names: &["Moechammad Rosjidi Effendie", "Muhammad Rosyidi Efendi", "Moch. Rosidi", "M. Rosjidi"],
        sex: Sex::M,
        place_of_birth: "Tjiandjoer",
        date_of_birth: "1984-09-XX",
        nationality: "IDN",
        nik: None,
        passport: Some(("B9032217", "IDN")),
        category: ReasonCategory::Criminal,
        reason: "Tersangka penipuan investasi, permintaan mendesak penyidik (perkara rekaan untuk demo)",
        decided_days_ago: 3,
        starts_days_ago: 3,
        period: Some(Period::Days(20)),
    },
    // Deterrence for five years: a foreigner who overstayed and was deported.
    DemoOrder {
        id: [0x11, 0x22, 0x33, 0x44, 0x04],
        kind: OrderKind::Deterrence,
        authority: "DITJENIM",
        names: &["Andrei Mihailescu-Dorin", "Andrei Mihailescu"],
        sex: Sex::M,
        place_of_birth: "Brasov",
        date_of_birth: "1979-02-17",
        nationality: "ROU",
        nik: None,
        passport: Some(("058123947", "ROU")),
        category: ReasonCategory::ImmigrationOffence,
        reason: "Tinggal melebihi izin lebih dari 60 hari dan dideportasi (perkara rekaan untuk demo)",
        decided_days_ago: 400,
        starts_days_ago: 400,
        period: Some(Period::Years(5)),
    },
    // Deterrence for life: terrorism.
    DemoOrder {
        id: [0x11, 0x22, 0x33, 0x44, 0x05],
        kind: OrderKind::Deterrence,
        authority: "BNPT",
        names: &["Marek Zielinski-Hart", "Marek Zielinsky", "Marek Z. Hart"],
        sex: Sex::M,
        place_of_birth: "Gdansk",
        date_of_birth: "1975-XX-XX",
        nationality: "POL",
        nik: None,
        passport: None,
        category: ReasonCategory::Terrorism,
        reason: "Pendanaan jaringan teror menurut putusan pengadilan (perkara rekaan untuk demo)",
        decided_days_ago: 900,
        starts_days_ago: 900,
        period: None,
    },
    // Prevention that ended by itself months ago: state receivables.
    DemoOrder {
        id: [0x11, 0x22, 0x33, 0x44, 0x06],
        kind: OrderKind::Prevention,
        authority: "MENKEU",
        names: &["Soeparmi Djajasoemarta", "Suparmi Jayasumarta"],
        sex: Sex::F,
        place_of_birth: "Bandoeng",
        date_of_birth: "1969-06-30",
        nationality: "IDN",
        nik: Some("3273017006690002"),
        passport: None,
        category: ReasonCategory::StateReceivables,
        reason: "Penanggung utang kepada negara (perkara rekaan untuk demo)",
        decided_days_ago: 300,
        starts_days_ago: 300,
        period: Some(Period::Months(6)),
    },
    // Prevention revoked yesterday (see `demo_travel_ban_events`).
    DemoOrder {
        id: [0x11, 0x22, 0x33, 0x44, 0x07],
        kind: OrderKind::Prevention,
        authority: "JAKSA-AGUNG",
        names: &["Njoman Wirasoedarsana", "Nyoman Wirasudarsana"],
        sex: Sex::M,
        place_of_birth: "Singaradja",
        date_of_birth: "1980-XX-XX",
        nationality: "IDN",
        nik: None,
        passport: Some(("C2210975", "IDN")),
        category: ReasonCategory::Criminal,
        reason: "Terdakwa perkara penggelapan (perkara rekaan untuk demo)",
        decided_days_ago: 60,
        starts_days_ago: 60,
        period: Some(Period::Months(6)),
    },
    // Prevention issued today, in force from next week.
    DemoOrder {
        id: [0x11, 0x22, 0x33, 0x44, 0x08],
        kind: OrderKind::Prevention,
        authority: "KPK",
        names: &["Achmad Chaerudin Prasodjo", "Akhmad Khaerudin Prasojo", "Ahmad Chairudin"],
        sex: Sex::M,
        place_of_birth: "Semarang",
        date_of_birth: "1977-11-03",
        nationality: "IDN",
        nik: Some("3374010311770005"),
        passport: Some(("C5518304", "IDN")),
        category: ReasonCategory::Corruption,
        reason: "Saksi dalam perkara suap perizinan (perkara rekaan untuk demo)",
        decided_days_ago: 0,
        starts_days_ago: -7,
        period: Some(Period::Months(3)),
    },
    // Deterrence of a foreigner for public order, in force.
    DemoOrder {
        id: [0x11, 0x22, 0x33, 0x44, 0x09],
        kind: OrderKind::Deterrence,
        authority: "TIMPORA",
        names: &["Sjarifah Noorlaila binti Osman", "Syarifah Nurlaila binti Osman", "Sharifah Noorlaila"],
        sex: Sex::F,
        place_of_birth: "Johor Bahru",
        date_of_birth: "1990-XX-XX",
        nationality: "MYS",
        nik: None,
        passport: Some(("A41877520", "MYS")),
        category: ReasonCategory::PublicOrder,
        reason: "Bekerja tanpa izin dan mengganggu ketertiban umum (perkara rekaan untuk demo)",
        decided_days_ago: 30,
        starts_days_ago: 30,
        period: Some(Period::Years(2)),
    },
];

fn days_from(today: Date, days_ago: i32) -> Result<Date, ApiError> {
    today
        .checked_sub(jiff::Span::new().days(days_ago))
        .map_err(|e| ApiError::internal(&format!("the demo's dates: {e}")))
}

fn demo_bad<E: std::fmt::Display>(what: &str) -> impl Fn(E) -> ApiError + '_ {
    move |e| ApiError::internal(&format!("the demo's {what}: {e}"))
}

/// The demo travel-ban orders as of `today`: one of each kind, one for life (terrorism), one
/// extended, one ended, one revoked and one still to start. Each is decided by the rules as
/// it would have been on its decision date, so the demo never holds an order the rules refuse.
pub fn demo_travel_ban_events(today: Date) -> Result<Vec<Event>, ApiError> {
    let authorities = gapura_domain::demo::reference_events().map_err(demo_bad("reference data"))?;
    let mut out = Vec::new();
    for o in DEMO_ORDERS {
        let decided = days_from(today, o.decided_days_ago)?;
        let start = days_from(today, o.starts_days_ago)?;
        let last_day = o.period.map(|p| match p {
            Period::Months(n) => travel_ban::last_day_of_months(start, n),
            Period::Days(n) => travel_ban::last_day_of_days(start, n),
            Period::Years(n) => travel_ban::last_day_of_years(start, n),
        });
        let subject = Subject {
            names: o.names.iter().map(|n| n.to_string()).collect(),
            sex: Some(o.sex),
            place_of_birth: Some(o.place_of_birth.to_owned()),
            date_of_birth: Some(PartialDate::parse(o.date_of_birth).map_err(demo_bad("date of birth"))?),
            nationality: Some(CountryCode::parse(o.nationality).map_err(demo_bad("nationality"))?),
            documents: o
                .passport
                .iter()
                .map(|(number, state)| {
                    Ok(SubjectDocument {
                        number: number.to_string(),
                        issuing_state: CountryCode::parse(state).map_err(demo_bad("passport"))?,
                        kind: DocumentKind::Passport,
                    })
                })
                .collect::<Result<_, ApiError>>()?,
            nik: o.nik.map(Nik::parse).transpose().map_err(demo_bad("NIK"))?,
            photo_sha256: None,
        };
        let order_id = OrderId::from_random(decided.year(), o.id);
        let authority = AuthorityCode::parse(o.authority).map_err(demo_bad("authority"))?;
        let legal_basis = authorities
            .iter()
            .find_map(|e| match e {
                Event::AuthorityRegistered { code, legal_basis, .. } if *code == authority => {
                    Some(legal_basis.clone())
                }
                _ => None,
            })
            .ok_or_else(|| {
                ApiError::internal(&format!("the demo's authority {authority} is not registered"))
            })?;
        let cmd = IssueOrder {
            order_id: order_id.clone(),
            kind: o.kind,
            legal_basis,
            authority,
            decision_number: format!("KEP-DEMO-{}/{}", &order_id.as_str()[8..], decided.year()),
            decision_date: decided,
            subject,
            reason: Reason { category: o.category, text: o.reason.to_owned() },
            start,
            last_day,
        };
        let issued = travel_ban::issue(cmd, decided, true).map_err(demo_bad("orders"))?;
        let mut state = OrderState::issued(&issued);
        out.push(Event::TravelBanIssued(issued));
        match o.id[4] {
            // Extended ten days before it would have ended, by six months.
            0x02 => {
                let current = state.last_day.unwrap_or(today);
                let decided = days_from(current, 10)?;
                let cmd = ExtendOrder {
                    decision_number: format!("KEP-DEMO-{}-P/{}", &order_id.as_str()[8..], decided.year()),
                    legal_basis: "UU 6/2011 Pasal 97 ayat (1)".into(),
                    decision_date: decided,
                    new_last_day: travel_ban::last_day_of_months(days_from(current, -1)?, 6),
                };
                let e = Event::TravelBanExtended(
                    travel_ban::extend(&state, cmd, decided).map_err(demo_bad("orders"))?,
                );
                state.evolve(&e);
                out.push(e);
            }
            // Revoked yesterday: the case was settled.
            0x07 => {
                let decided = days_from(today, 1)?;
                let cmd = RevokeOrder {
                    decision_number: format!("KEP-DEMO-{}-C/{}", &order_id.as_str()[8..], decided.year()),
                    decision_date: decided,
                    reason: "Perkara dihentikan (rekaan untuk demo)".into(),
                };
                out.push(Event::TravelBanRevoked(
                    travel_ban::revoke(&state, cmd, decided).map_err(demo_bad("orders"))?,
                ));
            }
            _ => {}
        }
    }
    for e in &out {
        e.validate().map_err(demo_bad("orders"))?;
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use gapura_domain::OrderStatus;

    /// On any day, the demo's orders pass the rules and stand as the demo describes them: six
    /// in force (one for life, one extended), one ended, one revoked, one still to start.
    #[test]
    fn the_demo_orders_pass_the_rules_on_any_day() {
        for today in ["2026-11-23", "2026-08-31", "2027-02-28", "2028-02-29", "2031-12-31"] {
            let today: Date = today.parse().unwrap();
            let events = demo_travel_ban_events(today).unwrap_or_else(|e| panic!("{today}: {:?}", e.body));
            let mut states: Vec<OrderState> = Vec::new();
            for e in &events {
                assert!(gapura_domain::demo::round_trips(e).unwrap(), "{e:?}");
                match e {
                    Event::TravelBanIssued(o) => states.push(OrderState::issued(o)),
                    other => states.iter_mut().for_each(|s| s.evolve(other)),
                }
            }
            let count = |s: OrderStatus| states.iter().filter(|o| o.status(today) == s).count();
            assert_eq!(
                [OrderStatus::InForce, OrderStatus::Ended, OrderStatus::Revoked, OrderStatus::Scheduled]
                    .map(count),
                [6, 1, 1, 1],
                "{today}"
            );
            assert!(states.iter().any(|s| s.last_day.is_none()), "one for life");
            assert!(states.iter().any(|s| s.extensions == 1), "one extended");
            for kind in OrderKind::ALL {
                assert!(states.iter().any(|s| s.kind == *kind), "{kind:?}");
            }
        }
    }
}
