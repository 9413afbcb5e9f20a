//! Reading bulk files: counts, rejected lines with line, column and field, deltas.

use gapura_domain::{BulkFormat, ImportMode, WatchlistList};
use gapura_screening::bulk::{read_all, BulkError, Record};

#[test]
fn csv_documents_with_bad_lines_reported_where_they_are() {
    let file = "document_number,issuing_country,document_type,status,remarks\r\n\
C1234567,IDN,passport,stolen,x\n\
\"PA 098 7654\",AUS,P,lost,\n\
,IDN,passport,stolen,\n\
X1,ZZQ,passport,stolen,\n\
X2,IDN,boat,stolen,\n\
X3,IDN,passport,misplaced,\n\
X4,IDN,passport\n\
\"X5,IDN,passport,stolen,\n\
\n";
    let (records, report) =
        read_all(WatchlistList::StolenLostDocuments, BulkFormat::Csv, ImportMode::Full, file.as_bytes())
            .unwrap();
    assert_eq!(records.len(), 2);
    assert_eq!((report.records, report.accepted, report.rejected), (8, 2, 6));
    assert_eq!(report.ignored_columns, ["remarks"]);
    let r = &report.rejections;
    assert_eq!((r[0].line, r[0].column, r[0].field.as_deref()), (4, Some(1), Some("document_number")));
    assert_eq!((r[1].line, r[1].field.as_deref()), (5, Some("issuing_country")));
    assert_eq!((r[2].line, r[2].column, r[2].field.as_deref()), (6, Some(3), Some("document_type")));
    assert_eq!((r[3].line, r[3].field.as_deref()), (7, Some("status")));
    assert!(r[4].reason.contains("3 fields"), "{:?}", r[4]);
    assert!(r[5].reason.contains("not closed"), "{:?}", r[5]);
}

#[test]
fn a_header_without_a_required_column_refuses_the_file() {
    let e = read_all(
        WatchlistList::StolenLostDocuments,
        BulkFormat::Csv,
        ImportMode::Full,
        b"document_number,status\nA,stolen\n",
    )
    .unwrap_err();
    assert!(matches!(e, BulkError::MissingColumn(ref c, _) if c == "issuing_country"), "{e}");
    assert!(matches!(
        read_all(WatchlistList::Notices, BulkFormat::Csv, ImportMode::Full, b""),
        Err(BulkError::Empty)
    ));
}

#[test]
fn deltas_remove_and_full_lists_cannot() {
    let file = b"document_number,issuing_country,document_type,status,action\nC1,IDN,,,remove\nC2,IDN,passport,lost,add\n";
    let (records, report) =
        read_all(WatchlistList::StolenLostDocuments, BulkFormat::Csv, ImportMode::Delta, file).unwrap();
    assert_eq!(report.rejected, 0);
    assert!(matches!(&records[0], Record::Document { listing: None, .. }));
    let (_, report) =
        read_all(WatchlistList::StolenLostDocuments, BulkFormat::Csv, ImportMode::Full, file).unwrap();
    assert_eq!(report.rejected, 1);
    assert_eq!(report.rejections[0].field.as_deref(), Some("action"));
}

#[test]
fn json_lines_notices_with_aliases_and_partial_dates() {
    let file = r#"{"notice_id":"A-1/2026","kind":"red","surname":"Varenykova","given_names":"Oksana","date_of_birth":"1985-XX-XX","nationality":"UKR","sex":"F","aliases":["Oxana Varenik"]}
{"notice_id":"A-2/2026","kind":"pink","surname":"X","given_names":"Y"}
{"notice_id":"A-3/2026","kind":"red","surname":"Kowalczyk","given_names":"Piotr","date_of_birth":"1985-13-01"}
not json
{"notice_id":"A-4/2026","kind":"yellow","surname":"Ng","given_names":"Mei","colour":"blue"}
{"notice_id":"A-1/2026","action":"remove"}
"#;
    let (records, report) =
        read_all(WatchlistList::Notices, BulkFormat::Jsonl, ImportMode::Delta, file.as_bytes()).unwrap();
    assert_eq!((report.accepted, report.rejected), (2, 4), "{report:#?}");
    let Record::Notice(p) = &records[0] else { panic!() };
    assert_eq!(p.names, ["Oksana Varenykova", "Oxana Varenik"]);
    assert_eq!(p.date_of_birth.unwrap().to_string(), "1985-XX-XX");
    assert_eq!(records[1], Record::NoticeRemoved("A-1/2026".into()));
    let fields: Vec<_> = report.rejections.iter().map(|r| (r.line, r.field.clone())).collect();
    assert_eq!(
        fields,
        [(2, Some("kind".into())), (3, Some("date_of_birth".into())), (4, None), (5, Some("colour".into()))]
    );
}

#[test]
fn overlong_and_non_utf8_lines_are_rejected_alone() {
    let mut file = b"document_number,issuing_country,document_type,status\n".to_vec();
    file.extend(vec![b'A'; 20_000]);
    file.extend(b"\n\xff\xfe,IDN,passport,stolen\nC9,IDN,passport,stolen\n");
    let (records, report) =
        read_all(WatchlistList::StolenLostDocuments, BulkFormat::Csv, ImportMode::Full, &file).unwrap();
    assert_eq!(records.len(), 1);
    assert_eq!(report.rejected, 2);
    assert!(report.rejections[0].reason.contains("longer than"));
    assert!(report.rejections[1].reason.contains("UTF-8"));
}
