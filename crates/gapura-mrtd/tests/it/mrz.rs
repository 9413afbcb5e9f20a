//! Machine-readable zones: the Doc 9303 specimens, errors, the century rules, names, codes and
//! reader mode, each through the public API only.

use gapura_mrtd::mrz::{
    self, check_digit, icao_code, transliterate, CalendarDate, CodeKind, Field, Format, MrzDate, MrzError,
    Sex,
};

/// The reference date the specimen tests read with; any date in 2013–2039 gives the same years.
fn today() -> CalendarDate {
    CalendarDate::new(2026, 5, 1).expect("a real date")
}

fn date(s: &str) -> MrzDate {
    s.parse().expect("a test date")
}

fn parse(lines: &[&str]) -> mrz::Mrz {
    match mrz::parse(&lines.join("\n"), today()) {
        Ok(m) => m,
        Err(e) => panic!("{lines:?} should parse: {e}"),
    }
}

fn parse_err(lines: &[&str]) -> MrzError {
    mrz::parse(&lines.join("\n"), today()).expect_err("should be refused")
}

const TD1: [&str; 3] =
    ["I<UTOD231458907<<<<<<<<<<<<<<<", "7408122F1204159UTO<<<<<<<<<<<6", "ERIKSSON<<ANNA<MARIA<<<<<<<<<<"];
const TD2: [&str; 2] = ["I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<", "D231458907UTO7408122F1204159<<<<<<<6"];
const TD3: [&str; 2] =
    ["P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<", "L898902C36UTO7408122F1204159ZE184226B<<<<<10"];
const MRV_A: [&str; 2] =
    ["V<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<", "L8988901C4XXX4009078F96121096ZE184226B<<<<<<"];
const MRV_B: [&str; 2] = ["V<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<", "L8988901C4XXX4009078F9612109<<<<<<<<"];

#[test]
fn td3_specimen_parses_to_its_published_fields() {
    let m = parse(&TD3);
    let d = &m.document;
    assert_eq!(d.format, Format::Td3);
    assert_eq!(d.document_code, "P");
    assert_eq!(d.issuing_state, "UTO");
    assert_eq!(d.name.primary_identifier, "ERIKSSON");
    assert_eq!(d.name.secondary_identifier, "ANNA MARIA");
    assert!(!d.name.truncated);
    assert_eq!(d.document_number, "L898902C3");
    assert_eq!(d.nationality, "UTO");
    assert_eq!(d.date_of_birth, date("1974-08-12"));
    assert_eq!(d.sex, Sex::Female);
    assert_eq!(d.date_of_expiry, date("2012-04-15"));
    assert_eq!(d.optional_data, "ZE184226B");
    let c = m.check_digits;
    assert_eq!((c.document_number, c.date_of_birth, c.date_of_expiry), ('6', '2', '9'));
    assert_eq!((c.optional_data, c.composite), (Some('1'), Some('0')));
}

#[test]
fn td1_specimen_parses_to_its_published_fields() {
    let m = parse(&TD1);
    let d = &m.document;
    assert_eq!((d.format, d.document_code.as_str(), d.issuing_state.as_str()), (Format::Td1, "I", "UTO"));
    assert_eq!(d.document_number, "D23145890");
    assert_eq!(m.check_digits.document_number, '7');
    assert_eq!(d.date_of_birth, date("1974-08-12"));
    assert_eq!(d.date_of_expiry, date("2012-04-15"));
    assert_eq!((d.sex, d.nationality.as_str()), (Sex::Female, "UTO"));
    assert_eq!((d.optional_data.as_str(), d.optional_data_2.as_deref()), ("", Some("")));
    assert_eq!(m.check_digits.composite, Some('6'));
    assert_eq!(
        (d.name.primary_identifier.as_str(), d.name.secondary_identifier.as_str()),
        ("ERIKSSON", "ANNA MARIA")
    );
}

#[test]
fn td2_specimen_parses_to_its_published_fields() {
    let m = parse(&TD2);
    let d = &m.document;
    assert_eq!((d.format, d.document_number.as_str()), (Format::Td2, "D23145890"));
    assert_eq!((d.date_of_birth, d.date_of_expiry), (date("1974-08-12"), date("2012-04-15")));
    assert_eq!((m.check_digits.document_number, m.check_digits.composite), ('7', Some('6')));
    assert_eq!(d.name.secondary_identifier, "ANNA MARIA");
}

#[test]
fn mrv_a_specimen_parses_to_its_published_fields() {
    let m = parse(&MRV_A);
    let d = &m.document;
    assert_eq!((d.format, d.document_code.as_str()), (Format::MrvA, "V"));
    assert_eq!((d.document_number.as_str(), d.nationality.as_str()), ("L8988901C", "XXX"));
    assert_eq!((d.date_of_birth, d.date_of_expiry), (date("1940-09-07"), date("1996-12-10")));
    assert_eq!(d.optional_data, "6ZE184226B");
    assert_eq!(m.check_digits.composite, None);
}

#[test]
fn mrv_b_specimen_parses_to_its_published_fields() {
    let m = parse(&MRV_B);
    let d = &m.document;
    assert_eq!((d.format, d.document_number.as_str()), (Format::MrvB, "L8988901C"));
    assert_eq!((d.date_of_birth, d.date_of_expiry), (date("1940-09-07"), date("1996-12-10")));
    assert_eq!(d.optional_data, "");
}

#[test]
fn every_specimen_renders_back_to_its_printed_lines() {
    for lines in [&TD1[..], &TD2[..], &TD3[..], &MRV_A[..], &MRV_B[..]] {
        let m = parse(lines);
        assert_eq!(mrz::render(&m.document).expect("renders"), lines);
    }
}

#[test]
fn json_uses_stable_snake_case_names_and_iso_dates() {
    let json = serde_json::to_value(parse(&TD3)).expect("serialises");
    assert_eq!(json["format"], "td3");
    assert_eq!(json["document_type"], "passport");
    assert_eq!(json["date_of_birth"], "1974-08-12");
    assert_eq!(json["sex"], "female");
    assert_eq!(json["name"]["secondary_identifier"], "ANNA MARIA");
    assert_eq!(json["check_digits"]["composite"], "0");
    let back: mrz::Document = serde_json::from_value(json).expect("the output is render's input");
    assert_eq!(mrz::render(&back).expect("renders"), TD3);
}

#[test]
fn td1_number_longer_than_nine_continues_in_optional_data() {
    let mut doc = parse(&TD1).document;
    doc.document_number = "D23145890123".into();
    doc.optional_data = "AB12".into();
    let lines = mrz::render(&doc).expect("renders");
    let digit = check_digit("D23145890123").expect("MRZ characters");
    assert_eq!(lines[0], format!("I<UTOD23145890<123{digit}<AB12<<<<<<"));
    let back = parse(&lines.iter().map(String::as_str).collect::<Vec<_>>());
    assert_eq!(back.document, doc);
    assert_eq!(back.check_digits.document_number, digit);
}

#[test]
fn td2_number_longer_than_nine_continues_in_optional_data() {
    let mut doc = parse(&TD2).document;
    doc.document_number = "D231458901234".into();
    let lines = mrz::render(&doc).expect("renders");
    assert_eq!(&lines[1][9..10], "<");
    let back = parse(&lines.iter().map(String::as_str).collect::<Vec<_>>());
    assert_eq!(back.document.document_number, "D231458901234");
}

#[test]
fn a_continuation_marker_without_continuation_is_named() {
    let e = parse_err(&["I<UTOD23145890<<<<<<<<<<<<<<<<", TD1[1], TD1[2]]);
    assert_eq!((e.field(), e.code()), (Some(Field::DocumentNumber), "missing_document_number_continuation"));
}

#[test]
fn errors_name_line_columns_field_and_what_was_expected() {
    let e = parse_err(&[TD3[0], "L898902C36UTO8A03122F1204159ZE184226B<<<<<10"]);
    assert_eq!(
        e.to_string(),
        "line 2, columns 14-19 (date of birth): expected YYMMDD digits (<< for an unknown part), found \"8A0312\""
    );
}

#[test]
fn a_wrong_check_digit_names_the_field_and_both_digits() {
    let e = parse_err(&[TD3[0], "L898902C37UTO7408122F1204159ZE184226B<<<<<10"]);
    assert_eq!(
        e.to_string(),
        "line 2, columns 1-10 (document number): check digit is '7' but the covered characters give '6'"
    );
}

#[test]
fn a_wrong_composite_digit_is_its_own_failure() {
    let e = parse_err(&[TD3[0], "L898902C36UTO7408122F1204159ZE184226B<<<<<11"]);
    assert_eq!((e.field(), e.code()), (Some(Field::Composite), "check_digit_mismatch"));
    assert_eq!(e.location().map(|l| (l.line, l.first_column, l.last_column)), Some((2, 44, 44)));
}

#[test]
fn impossible_dates_are_refused_with_the_reason() {
    // Month 13, and 30 February (check digits recomputed so only the date is wrong).
    for (dob, reason) in
        [("741312", "month 13 does not exist"), ("740230", "day 30 does not exist in month 2 of 1974")]
    {
        let mut line2: Vec<char> = TD3[1].chars().collect();
        line2.splice(13..19, dob.chars());
        line2[19] = check_digit(dob).unwrap();
        let covered: String = [&line2[0..10], &line2[13..20], &line2[21..43]].concat().into_iter().collect();
        line2[43] = check_digit(&covered).unwrap();
        let line2: String = line2.into_iter().collect();
        let e = parse_err(&[TD3[0], &line2]);
        assert_eq!((e.field(), e.code()), (Some(Field::DateOfBirth), "invalid_date"), "{dob}");
        assert!(e.to_string().contains(reason), "{e}");
    }
}

#[test]
fn unknown_day_and_month_of_birth_are_kept_as_unknown() {
    let mut doc = parse(&TD3).document;
    doc.date_of_birth = MrzDate::new(Some(1974), None, None).unwrap();
    let lines = mrz::render(&doc).unwrap();
    assert_eq!(&lines[1][13..19], "74<<<<");
    let m = parse(&lines.iter().map(String::as_str).collect::<Vec<_>>());
    assert_eq!(m.document.date_of_birth.to_string(), "1974-XX-XX");
    assert_eq!(m.document.date_of_birth.calendar_date(), None);
    assert_eq!(serde_json::to_value(m.document.date_of_birth).unwrap(), "1974-XX-XX");
}

#[test]
fn malformed_input_is_refused_not_panicked_on() {
    assert_eq!(mrz::parse("", today()).unwrap_err().code(), "line_count");
    assert_eq!(mrz::parse(&[TD3[0], &TD3[1][..43]].join("\n"), today()).unwrap_err().code(), "line_length");
    assert_eq!(mrz::parse("ABC\nDEF", today()).unwrap_err().code(), "unknown_format");
    let lower = TD3[1].to_lowercase();
    assert_eq!(parse_err(&[TD3[0], &lower]).code(), "invalid_characters");
    let accented = TD3[0].replacen("ERIKSSON", "ÉRIKSSON", 1);
    assert_eq!(parse_err(&[&accented, TD3[1]]).field(), Some(Field::Name));
    assert_eq!(mrz::parse(&"<".repeat(10_000), today()).unwrap_err().code(), "input_too_long");
}

#[test]
fn unknown_state_codes_are_refused_and_d_is_germany() {
    let e = parse_err(&[&TD3[0].replacen("UTO", "QQQ", 1), TD3[1]]);
    assert_eq!((e.field(), e.code()), (Some(Field::IssuingState), "unknown_code"));
    let m = parse(&[&TD3[0].replacen("UTO", "D<<", 1), TD3[1]]);
    assert_eq!(m.document.issuing_state, "D");
    assert_eq!(mrz::render(&m.document).unwrap()[0], TD3[0].replacen("UTO", "D<<", 1));
}

#[test]
fn the_code_list_has_iso_codes_and_every_doc_9303_addition() {
    assert_eq!(icao_code("IDN").map(|c| c.kind), Some(CodeKind::State));
    assert_eq!(icao_code("D<<").map(|c| c.name), Some("Germany"));
    for code in [
        "GBD", "GBN", "GBO", "GBP", "GBS", "UNO", "UNA", "UNK", "XOM", "XXA", "XXB", "XXC", "XXX", "EUE",
        "XBA", "XIM", "XCC", "XCE", "XCO", "XEC", "XPO", "XES", "XMP", "XDC", "UTO",
    ] {
        assert!(icao_code(code).is_some(), "{code}");
    }
    assert_eq!(icao_code("XXA").map(|c| c.kind), Some(CodeKind::NoNationality));
    assert!(icao_code("ZZZ").is_none() && icao_code("uto").is_none() && icao_code("").is_none());
    assert!(mrz::icao_codes().count() >= 249 + 25);
}

#[test]
fn birth_years_take_the_latest_century_not_after_the_reference_date() {
    let on = |reference: (i32, u8, u8), yymmdd: &str| {
        let reference = CalendarDate::new(reference.0, reference.1, reference.2).unwrap();
        let doc = parse(&TD3).document;
        let mut doc = doc;
        doc.date_of_birth = MrzDate::new(
            Some(2000 + yymmdd[..2].parse::<i32>().unwrap()),
            Some(yymmdd[2..4].parse().unwrap()),
            Some(yymmdd[4..].parse().unwrap()),
        )
        .unwrap();
        let lines = mrz::render(&doc).unwrap().join("\n");
        mrz::parse(&lines, reference).unwrap().document.date_of_birth.to_string()
    };
    assert_eq!(on((2026, 5, 1), "260501"), "2026-05-01", "born today is this century");
    assert_eq!(on((2026, 5, 1), "260502"), "1926-05-02", "a day after the reference is last century");
    assert_eq!(on((2000, 1, 1), "000101"), "2000-01-01", "the first day of a century");
    assert_eq!(on((2000, 1, 1), "991231"), "1999-12-31", "the day before it");
    assert_eq!(on((1999, 12, 31), "000101"), "1900-01-01", "a year 00 seen from 1999");
}

#[test]
fn expiry_years_take_the_century_nearest_the_reference_date() {
    let on = |reference: (i32, u8, u8), yymmdd: &str| {
        let reference = CalendarDate::new(reference.0, reference.1, reference.2).unwrap();
        let mut doc = parse(&TD3).document;
        doc.date_of_expiry = MrzDate::new(
            Some(2000 + yymmdd[..2].parse::<i32>().unwrap()),
            Some(yymmdd[2..4].parse().unwrap()),
            Some(yymmdd[4..].parse().unwrap()),
        )
        .unwrap();
        let lines = mrz::render(&doc).unwrap().join("\n");
        mrz::parse(&lines, reference).unwrap().document.date_of_expiry.to_string()
    };
    assert_eq!(on((2026, 5, 1), "360501"), "2036-05-01", "ten years ahead");
    assert_eq!(on((2026, 5, 1), "160501"), "2016-05-01", "ten years expired");
    assert_eq!(on((1995, 6, 1), "050601"), "2005-06-01", "across a century boundary forwards");
    assert_eq!(on((2003, 6, 1), "980601"), "1998-06-01", "across a century boundary backwards");
    assert_eq!(on((2099, 12, 31), "000101"), "2100-01-01", "into the next century");
}

#[test]
fn february_29_is_valid_only_in_leap_years() {
    assert!(MrzDate::new(Some(2000), Some(2), Some(29)).is_ok());
    assert!(MrzDate::new(Some(1900), Some(2), Some(29)).is_err());
    assert!(MrzDate::new(None, Some(2), Some(29)).is_ok(), "unknown year may be a leap year");
    assert!("2023-02-29".parse::<CalendarDate>().is_err());
}

#[test]
fn transliteration_follows_the_doc_9303_latin_table() {
    let t = |s: &str| transliterate(s).unwrap();
    assert_eq!(t("Müller-Lüdenscheidt"), "MUELLER<LUEDENSCHEIDT");
    assert_eq!(t("Ångström Ærø"), "AANGSTROEM<AEROE");
    assert_eq!(t("Weiß Þórsdóttir"), "WEISS<THORSDOTTIR");
    assert_eq!(t("Ĳsselmeer Œuvre"), "IJSSELMEER<OEUVRE");
    assert_eq!(t("Peña O'Connor"), "PENA<OCONNOR");
    assert_eq!(t("  Dvořák ,  Łukasz  "), "DVORAK<LUKASZ");
    assert!(matches!(transliterate("Ли"), Err(mrz::NameError::Untransliterable { character: 'Л', .. })));
}

#[test]
fn long_names_are_truncated_to_a_full_field_ending_in_a_letter() {
    let mut doc = parse(&TD3).document;
    doc.name.primary_identifier = "NILAVADHANANANDA".into();
    doc.name.secondary_identifier = "CHAYAPA DEJTHAMRONG KRASUANG".into();
    let lines = mrz::render(&doc).unwrap();
    assert_eq!(&lines[0][5..], "NILAVADHANANANDA<<CHAYAPA<DEJTHAMRONG<K");
    let back = parse(&lines.iter().map(String::as_str).collect::<Vec<_>>());
    assert!(back.document.name.truncated);
    // A cut that would end on a separator keeps the next initial instead.
    doc.name.primary_identifier = "ABCDEFGHIJKLMNOPQRSTUVWXYZABCDEFGHIJK".into();
    doc.name.secondary_identifier = "ANNA".into();
    let lines = mrz::render(&doc).unwrap();
    assert_eq!(&lines[0][5..], "ABCDEFGHIJKLMNOPQRSTUVWXYZABCDEFGHIJ<<A");
}

#[test]
fn reader_mode_proposes_the_look_alike_correction_with_its_position() {
    // The scanner read the 0 of the birth date as O and the 8 of the number as B.
    let scanned = [TD3[0], "L898902C36UTO74O8122F1204159ZE184226B<<<<<10"].join("\n");
    let report = mrz::read(&scanned, today());
    assert!(report.document.is_none() && !report.failures.is_empty());
    assert_eq!(report.corrections.len(), 1);
    let fix = &report.corrections[0];
    assert_eq!(fix.changes, vec![mrz::Change { line: 2, column: 16, found: 'O', replacement: '0' }]);
    assert_eq!(fix.lines, TD3);
    assert!(report.corrections_complete);
}

#[test]
fn reader_mode_lists_every_minimal_correction_in_an_alphanumeric_number() {
    let scanned = [TD3[0], "L8989O2C36UTO7408122F1204159ZE184226B<<<<<10"].join("\n");
    let report = mrz::read(&scanned, today());
    assert!(report.document.is_some(), "every field readable, only the digits fail");
    assert!(report.corrections.iter().any(|c| c.lines == TD3), "{:?}", report.corrections);
    assert!(report.corrections.iter().all(|c| c.changes.len() == report.corrections[0].changes.len()));
}

#[test]
fn reader_mode_on_a_good_scan_proposes_nothing() {
    let report = mrz::read(&TD1.join("\n"), today());
    assert!(report.failures.is_empty() && report.corrections.is_empty() && report.document.is_some());
}

#[test]
fn render_refuses_values_the_format_cannot_carry() {
    let mut doc = parse(&TD3).document;
    doc.document_number = "L898902C3X".into();
    assert!(matches!(mrz::render(&doc), Err(mrz::RenderError::Field { field: Field::DocumentNumber, .. })));
    let mut doc = parse(&TD3).document;
    doc.document_code = "I".into();
    assert!(matches!(mrz::render(&doc), Err(mrz::RenderError::Field { field: Field::DocumentCode, .. })));
    let mut doc = parse(&TD3).document;
    doc.nationality = "QQQ".into();
    assert!(mrz::render(&doc).is_err());
}

#[test]
fn an_empty_personal_number_may_have_a_filler_check_digit() {
    let mut doc = parse(&TD3).document;
    doc.optional_data = String::new();
    let lines = mrz::render(&doc).unwrap();
    assert_eq!(&lines[1][28..43], "<<<<<<<<<<<<<<<");
    let m = parse(&lines.iter().map(String::as_str).collect::<Vec<_>>());
    assert_eq!((m.document.optional_data.as_str(), m.check_digits.optional_data), ("", Some('<')));
}
