//! The demo data set: reference data for 431 service points of every kind (real place names),
//! the countries, and the travel-ban authorities. Loaded by `gapura init --demo`.

use crate::{
    AuthorityCode, CountryCode, Event, EventError, ServicePoint, ServicePointCode, ServicePointKind,
};

const SERVICE_POINTS_CSV: &str = include_str!("../demo/service_points.csv");
const COUNTRIES_CSV: &str = include_str!("../demo/countries.csv");
const AUTHORITIES_CSV: &str = include_str!("../demo/authorities.csv");

/// A line of a reference CSV file that could not be read.
#[derive(Debug, thiserror::Error)]
#[error("{file} line {line}: {reason}")]
pub struct CsvError {
    pub file: &'static str,
    pub line: usize,
    pub reason: String,
}

fn rows(
    file: &'static str,
    text: &'static str,
    columns: usize,
) -> impl Iterator<Item = Result<(usize, Vec<&'static str>), CsvError>> {
    text.lines().enumerate().skip(1).filter(|(_, l)| !l.trim().is_empty()).map(move |(i, l)| {
        let cells: Vec<&str> = l.split(',').collect();
        if cells.len() != columns {
            return Err(CsvError {
                file,
                line: i + 1,
                reason: format!("{} columns, expected {columns}", cells.len()),
            });
        }
        Ok((i + 1, cells))
    })
}

fn opt(s: &str) -> Option<String> {
    (!s.is_empty()).then(|| s.to_owned())
}

/// Every reference event of the demo data set, in the order they are appended: countries,
/// authorities, then service points (regional offices before the points under them).
pub fn reference_events() -> Result<Vec<Event>, CsvError> {
    let mut out = Vec::new();
    let err = |file, line| move |e: crate::ValueError| CsvError { file, line, reason: e.to_string() };
    for row in rows("countries.csv", COUNTRIES_CSV, 2) {
        let (line, c) = row?;
        // The country list is ICAO 9303's (gapura-mrtd owns it): a code that a travel
        // document could not carry has no place in the reference data.
        if gapura_mrtd::mrz::icao_code(c[0]).is_none() {
            return Err(CsvError {
                file: "countries.csv",
                line,
                reason: format!("{:?} is not an ICAO 9303 state or nationality code", c[0]),
            });
        }
        out.push(Event::CountryRegistered {
            code: CountryCode::parse(c[0]).map_err(err("countries.csv", line))?,
            name: c[1].to_owned(),
        });
    }
    for row in rows("authorities.csv", AUTHORITIES_CSV, 3) {
        let (line, c) = row?;
        out.push(Event::AuthorityRegistered {
            code: AuthorityCode::parse(c[0]).map_err(err("authorities.csv", line))?,
            name: c[1].to_owned(),
            legal_basis: c[2].to_owned(),
        });
    }
    let mut points = Vec::new();
    for row in rows("service_points.csv", SERVICE_POINTS_CSV, 7) {
        let (line, c) = row?;
        let e = err("service_points.csv", line);
        let parent_code = opt(c[3]).map(|p| ServicePointCode::parse(&p)).transpose().map_err(e)?;
        points.push(ServicePoint {
            code: ServicePointCode::parse(c[0]).map_err(e)?,
            name: c[1].to_owned(),
            kind: ServicePointKind::parse(c[2]).map_err(e)?,
            parent_code,
            province: c[4].to_owned(),
            city: opt(c[5]),
            time_zone: opt(c[6]),
        });
    }
    points.sort_by_key(|p| p.kind != ServicePointKind::RegionalOffice);
    out.extend(points.into_iter().map(Event::ServicePointRegistered));
    for e in &out {
        e.validate().map_err(|v| CsvError { file: "demo", line: 0, reason: v.to_string() })?;
    }
    Ok(out)
}

/// Checks that an event survives its own encoding: used by tests and by `init --demo`.
pub fn round_trips(e: &Event) -> Result<bool, EventError> {
    let n = e.name();
    Ok(Event::decode(n.name, n.version, &e.encode())? == crate::Decoded::Domain(e.clone()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ServicePointRegisteredV1;

    #[test]
    fn demo_data_has_431_service_points_of_every_kind_and_round_trips() {
        let events = reference_events().expect("demo data parses");
        let points: Vec<_> = events
            .iter()
            .filter_map(|e| match e {
                Event::ServicePointRegistered(p) => Some(p),
                _ => None,
            })
            .collect();
        assert_eq!(points.len(), 431);
        for kind in ServicePointKind::ALL {
            assert!(points.iter().any(|p| p.kind == kind), "no {kind:?}");
        }
        assert_eq!(points.iter().filter(|p| p.kind == ServicePointKind::MissionAbroad).count(), 151);
        for e in &events {
            assert!(round_trips(e).expect("decodes"), "{e:?}");
        }
    }

    #[test]
    fn the_reference_countries_are_exactly_the_icao_states() {
        let mut ours: Vec<String> = reference_events()
            .unwrap()
            .iter()
            .filter_map(|e| match e {
                Event::CountryRegistered { code, .. } => Some(code.to_string()),
                _ => None,
            })
            .collect();
        let mut icao: Vec<String> = gapura_mrtd::mrz::icao_codes()
            .filter(|c| c.kind == gapura_mrtd::mrz::CodeKind::State)
            .map(|c| c.code.to_owned())
            .collect();
        ours.sort();
        icao.sort();
        assert_eq!(ours, icao, "countries.csv and gapura-mrtd's ISO 3166 states differ");
    }

    #[test]
    fn v1_service_point_upcasts_with_time_zone_from_province() {
        let v1 = ServicePointRegisteredV1 {
            code: ServicePointCode::parse("TPI-DPS").unwrap(),
            name: "TPI Bandara I Gusti Ngurah Rai".into(),
            kind: "tpi_udara".into(),
            region: "Bali".into(),
        };
        let decoded = Event::decode("service_point.registered", 1, &v1.encode()).unwrap();
        let crate::Decoded::Domain(Event::ServicePointRegistered(sp)) = decoded else {
            panic!("{decoded:?}")
        };
        assert_eq!(sp.kind, ServicePointKind::Airport);
        assert_eq!(sp.time_zone.as_deref(), Some("Asia/Makassar"));
        assert_eq!(sp.parent_code, None);
    }

    #[test]
    fn unknown_versions_and_bad_bodies_are_named() {
        assert!(matches!(
            Event::decode("service_point.registered", 9, b"{}"),
            Err(EventError::Unknown { .. })
        ));
        assert!(matches!(
            Event::decode("country.registered", 1, b"{\"code\":\"idn\",\"name\":\"x\"}"),
            Err(EventError::Body { .. })
        ));
    }
}
