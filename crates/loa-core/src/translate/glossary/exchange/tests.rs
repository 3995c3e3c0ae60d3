use super::table::cell_pos;
use super::*;
use crate::base::error::CoreError;
use crate::base::language;
use crate::base::store::Db;
use crate::base::text;
use crate::translate::glossary::{self, ConceptInput, ConceptQuery, TermInput};

fn opts(format: Format) -> ImportOptions {
    ImportOptions {
        format,
        mapping: None,
        on_conflict: OnConflict::Merge,
    }
}

fn all_terms(db: &Db) -> Vec<(String, String, String)> {
    glossary::all(db.conn())
        .unwrap()
        .iter()
        .flat_map(|c| {
            c.terms
                .iter()
                .map(|t| (t.lang.clone(), t.text.clone(), t.status.clone()))
        })
        .collect()
}

#[test]
fn headers_are_guessed_in_both_languages() {
    let db = Db::open_in_memory().unwrap();
    let langs = language::list(&db).unwrap();
    let h = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    assert_eq!(
        guess_mapping(
            &h(&[
                "STT",
                "Lĩnh vực",
                "Tiếng Việt",
                "Tiếng Mường",
                "Trạng thái (Mường)",
                "Ghi chú",
                "Người nhập"
            ]),
            &langs
        ),
        h(&[
            "id",
            "domain",
            "term:vie",
            "term:mtq",
            "status:mtq",
            "note",
            ""
        ])
    );
    assert_eq!(
        guess_mapping(
            &h(&[
                "id",
                "definition",
                "vi",
                "blt",
                "blt status",
                "mtq pos",
                "mtq usage"
            ]),
            &langs
        ),
        h(&[
            "id",
            "definition",
            "term:vie",
            "term:blt",
            "status:blt",
            "pos:mtq",
            "usage:mtq"
        ])
    );
    assert_eq!(
        guess_mapping(&h(&["Thái", "Ê Đê", "vie"]), &langs),
        h(&["term:blt", "term:rad", "term:vie"])
    );
}

#[test]
fn csv_preview_counts_then_import() {
    let mut db = Db::open_in_memory().unwrap();
    glossary::create(
        &mut db,
        &ConceptInput {
            terms: vec![TermInput {
                lang: "vie".into(),
                text: "hộ nghèo".into(),
                status: "preferred".into(),
                ..Default::default()
            }],
            ..Default::default()
        },
        "Lan",
    )
    .unwrap();
    // Semicolons (Excel in a Vietnamese locale), a BOM, Windows lines.
    let csv = "\u{feff}Tiếng Việt;Tiếng Mường;Trạng thái Mường;Lĩnh vực\r\n\
               bảo hiểm y tế;bảo hiểm y tế;ưu tiên;y tế\r\n\
               hộ nghèo;;;\r\n\
               Hộ nghèo;hộ khó;cấm;\r\n\
               ;;;\r\n";
    let preview = import(&mut db, csv.as_bytes(), &opts(Format::Csv), "Lan", false).unwrap();
    assert_eq!(
        preview.mapping,
        vec!["term:vie", "term:mtq", "status:mtq", "domain"]
    );
    assert_eq!(
        (
            preview.concepts,
            preview.new,
            preview.duplicate,
            preview.conflicting
        ),
        (3, 1, 1, 1)
    );
    assert_eq!(preview.sample.len(), 3);
    assert_eq!(
        glossary::count(&db).unwrap(),
        1,
        "a preview changes nothing"
    );

    let done = import(&mut db, csv.as_bytes(), &opts(Format::Csv), "Lan", true).unwrap();
    assert_eq!(done.new, 1);
    assert_eq!(glossary::count(&db).unwrap(), 2);
    // The conflicting row's Mường term was merged into "hộ nghèo".
    let page = glossary::list(
        &db,
        &ConceptQuery {
            search: Some("ho ngheo".into()),
            ..Default::default()
        },
    )
    .unwrap();
    let terms: Vec<_> = page.items[0]
        .terms
        .iter()
        .map(|t| (t.text.as_str(), t.status.as_str()))
        .collect();
    assert_eq!(
        terms,
        vec![("hộ nghèo", "preferred"), ("hộ khó", "forbidden")]
    );
}

#[test]
fn bad_files_name_the_row_and_change_nothing() {
    let mut db = Db::open_in_memory().unwrap();
    let csv = "vi,mtq,mtq status\nA,B,preferred\nC,D,maybe\n";
    match import(&mut db, csv.as_bytes(), &opts(Format::Csv), "Lan", true).unwrap_err() {
        CoreError::DataRow {
            line,
            problem,
            value,
            ..
        } => {
            assert_eq!(
                (line, problem, value.as_str()),
                (Some(3), "unknown-status", "maybe")
            );
        }
        e => panic!("{e:?}"),
    }
    assert_eq!(glossary::count(&db).unwrap(), 0);
    let csv = "vi,definition\nA,x\n,only a definition\n";
    match import(&mut db, csv.as_bytes(), &opts(Format::Csv), "Lan", true).unwrap_err() {
        CoreError::DataRow { line, problem, .. } => {
            assert_eq!((line, problem), (Some(3), "no-term"))
        }
        e => panic!("{e:?}"),
    }
    assert_eq!(glossary::count(&db).unwrap(), 0);
    let no_terms = "foo,bar\n1,2\n";
    assert_eq!(
        import(
            &mut db,
            no_terms.as_bytes(),
            &opts(Format::Csv),
            "Lan",
            true
        )
        .unwrap_err()
        .code(),
        "invalid"
    );
    let bad_map = ImportOptions {
        mapping: Some(vec!["term:xxx".into()]),
        ..opts(Format::Csv)
    };
    assert_eq!(
        import(&mut db, b"a\nb\n", &bad_map, "Lan", true)
            .unwrap_err()
            .code(),
        "invalid"
    );
    assert_eq!(
        import(
            &mut db,
            b"PK\x03\x04garbage",
            &opts(Format::Xlsx),
            "Lan",
            true
        )
        .unwrap_err()
        .code(),
        "data-file"
    );
    let tbx = "<tbx><text><body><conceptEntry id=\"a\"><langSec xml:lang=\"vi\"><termSec><term>A</term></termSec></langSec></conceptEntry>\n<conceptEntry><langSec xml:lang=\"vi\"><termSec><term>B</term></langSec></conceptEntry></body></text></tbx>";
    match import(&mut db, tbx.as_bytes(), &opts(Format::Tbx), "Lan", true).unwrap_err() {
        CoreError::DataFile { line, .. } => assert_eq!(line, Some(2)),
        e => panic!("{e:?}"),
    }
    assert_eq!(glossary::count(&db).unwrap(), 0);
}

fn sample_glossary() -> Db {
    let mut db = Db::open_in_memory().unwrap();
    let t = |lang: &str, text: &str, status: &str| TermInput {
        lang: lang.into(),
        text: text.into(),
        status: status.into(),
        part_of_speech: "noun".into(),
        usage_note: if status == "forbidden" {
            "không dùng khi phát thanh".into()
        } else {
            String::new()
        },
        ..Default::default()
    };
    glossary::create(
        &mut db,
        &ConceptInput {
            external_id: "12_bitter".into(),
            domain: "y tế".into(),
            definition: "Bảo hiểm do Nhà nước tổ chức; \"bắt buộc\" & <không> vì lợi nhuận".into(),
            terms: vec![
                t("vie", "bảo hiểm y tế", "preferred"),
                t("vie", "BHYT", "admitted"),
                t("mtq", "bảo hiểm y tế", "admitted"),
                t("mtq", "bảo hiểm khám", "deprecated"),
                t("blt", "\u{AA80}\u{AAB1}\u{AA95}", "forbidden"),
            ],
            ..Default::default()
        },
        "Lan",
    )
    .unwrap();
    glossary::create(
        &mut db,
        &ConceptInput {
            terms: vec![t("vie", "tiêm chủng", "preferred")],
            ..Default::default()
        },
        "Lan",
    )
    .unwrap();
    db
}

/// (lang, text, status, part of speech, usage note)
type TermFields = (String, String, String, String, String);
/// (external id, domain, definition, terms)
type ConceptFields = (String, String, String, Vec<TermFields>);

fn fields(db: &Db) -> Vec<ConceptFields> {
    glossary::all(db.conn())
        .unwrap()
        .into_iter()
        .map(|c| {
            (
                c.external_id,
                c.domain,
                c.definition,
                c.terms
                    .into_iter()
                    .map(|t| (t.lang, t.text, t.status, t.part_of_speech, t.usage_note))
                    .collect(),
            )
        })
        .collect()
}

#[test]
fn every_format_round_trips() {
    let db = sample_glossary();
    let original = fields(&db);
    for format in [Format::Csv, Format::Xlsx, Format::Tbx] {
        let bytes = export(&db, format).unwrap();
        let mut other = Db::open_in_memory().unwrap();
        let r = import(&mut other, &bytes, &opts(format), "Hùng", true).unwrap();
        assert_eq!((r.concepts, r.new, r.terms), (2, 2, 6), "{format:?}");
        let mut got = fields(&other);
        // Exports name every concept: the one with no id by its identity,
        // which the import keeps.
        let unnamed = glossary::all(db.conn())
            .unwrap()
            .into_iter()
            .find(|c| c.external_id.is_empty())
            .unwrap();
        let named = format!("c{}", unnamed.uid);
        let g = got.iter_mut().find(|f| f.0 == named).expect("named by uid");
        g.0.clear();
        let kept = glossary::all(other.conn()).unwrap();
        assert!(kept.iter().any(|c| c.uid == unnamed.uid), "{format:?}");
        let mut want = original.clone();
        got.sort_by(|a, b| a.3.cmp(&b.3));
        want.sort_by(|a, b| a.3.cmp(&b.3));
        assert_eq!(got, want, "{format:?}");
        // Importing the same file again finds only duplicates.
        let again = import(&mut other, &bytes, &opts(format), "Hùng", false).unwrap();
        assert_eq!((again.new, again.duplicate), (0, 2), "{format:?}");
    }
    let tbx = String::from_utf8(export(&db, Format::Tbx).unwrap()).unwrap();
    assert!(tbx.contains("<conceptEntry id=\"_12_bitter\">"));
    assert!(
        tbx.contains("<termNote type=\"administrativeStatus\">obsoleteTerm-admn-sts</termNote>")
    );
    assert!(
        tbx.contains("<termNote type=\"administrativeStatus\">deprecatedTerm-admn-sts</termNote>")
    );
    assert!(tbx.contains("\"bắt buộc\" &amp; &lt;không&gt;"));
}

#[test]
fn tbx_2008_from_other_tools() {
    let tbx = r#"<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE martif SYSTEM "TBXcoreStructV02.dtd">
<martif type="TBX" xml:lang="en"><martifHeader><fileDesc><sourceDesc><p>memoQ</p></sourceDesc></fileDesc></martifHeader>
<text><body>
<termEntry id="t1"><descrip type="subjectField">Health</descrip>
  <langSet xml:lang="vi-VN"><tig><term>tiêm chủng</term><termNote type="normativeAuthorization">preferredTerm</termNote></tig></langSet>
  <langSet xml:lang="en"><tig><term>vaccination</term></tig></langSet>
  <langSet xml:lang="mtq"><ntig><termGrp><term>tiêm <hi>chủng</hi></term></termGrp><termNote type="administrativeStatus">supersededTerm-admn-sts</termNote></ntig></langSet>
</termEntry></body></text></martif>"#;
    let mut db = Db::open_in_memory().unwrap();
    let r = import(&mut db, tbx.as_bytes(), &opts(Format::Tbx), "Lan", true).unwrap();
    assert_eq!(r.ignored_languages, vec!["en"]);
    assert_eq!(
        all_terms(&db),
        vec![
            ("vie".into(), "tiêm chủng".into(), "preferred".into()),
            ("mtq".into(), "tiêm chủng".into(), "forbidden".into())
        ]
    );
    assert_eq!(glossary::all(db.conn()).unwrap()[0].domain, "Health");
}

#[test]
fn legacy_encodings_decode() {
    // "Tiếng Việt" in UTF-16LE with BOM, as Excel's "Unicode text" saves.
    let mut utf16 = vec![0xFF, 0xFE];
    for u in "Tiếng Việt\tTiếng Mường\nnước\tnác\n".encode_utf16() {
        utf16.extend(u.to_le_bytes());
    }
    let mut db = Db::open_in_memory().unwrap();
    let r = import(&mut db, &utf16, &opts(Format::Csv), "Lan", true).unwrap();
    assert_eq!(r.terms, 2);
    assert_eq!(all_terms(&db)[1].1, "nác");
    // Windows-1258 writes tones as combining marks: "ế" is ê + U+0301.
    let cp1258 = [
        0x54, 0x69, 0xEA, 0xEC, 0x6E, 0x67, 0x0A, 0xF0, 0xFD, 0xF5, 0xCC, 0x6E, 0x67,
    ];
    assert_eq!(text::clean(&decode(&cp1258)), "Tiếng\nđường");
}

/// A workbook whose sheet declares its range backwards (`B2:A1`), as
/// the fuzzer made one: refused, not a panic in the reader.
#[test]
fn a_backwards_sheet_range_is_refused() {
    use std::io::{Read, Write};
    let db = sample_glossary();
    let good = export(&db, Format::Xlsx).unwrap();
    let mut zin = zip::ZipArchive::new(std::io::Cursor::new(good)).unwrap();
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for i in 0..zin.len() {
        let mut e = zin.by_index(i).unwrap();
        let name = e.name().unwrap().to_string();
        let mut data = Vec::new();
        e.read_to_end(&mut data).unwrap();
        if name.starts_with("xl/worksheets/") {
            let text = String::from_utf8(data).unwrap();
            let at = text.find("<dimension ref=\"").unwrap() + 16;
            let end = at + text[at..].find('"').unwrap();
            let (a, b) = text[at..end].split_once(':').unwrap();
            data = format!("{}{b}:{a}{}", &text[..at], &text[end..]).into_bytes();
        }
        out.start_file(name, zip::write::SimpleFileOptions::default())
            .unwrap();
        out.write_all(&data).unwrap();
    }
    let bytes = out.finish().unwrap().into_inner();
    let err = read_xlsx(&bytes).err().expect("refused");
    assert_eq!(err.args()[2], ("problem", "sheet-damaged".to_string()));
    assert_eq!(cell_pos("XFD1048576"), Some((1_048_575, 16_383)));
    assert_eq!(cell_pos("$B$2"), Some((1, 1)));
    assert_eq!(cell_pos("A0"), None);
}

/// TBX keeps who made, changed and approved each term: exported, imported
/// at another office (by someone else, on another day) and exported again,
/// the file comes back byte for byte.
#[test]
fn tbx_round_trip_keeps_authorship_and_approval() {
    use crate::base::clock::{self, Clock};
    let moment = |s: &str| Clock::Fixed {
        unix: Clock::parse_moment(s).unwrap().0,
        offset: 7 * 3600,
    };
    let term = |lang: &str, text: &str, status: &str, note: &str| TermInput {
        lang: lang.into(),
        text: text.into(),
        status: status.into(),
        usage_note: note.into(),
        ..Default::default()
    };
    // Made-up entries (demo), not real Mường.
    let mut a = Db::open_in_memory().unwrap();
    let c = {
        let _t = clock::scoped(moment("2026-03-02T08:00+07:00"));
        glossary::create(
            &mut a,
            &ConceptInput {
                domain: "y tế".into(),
                terms: vec![
                    term("vie", "tiêm chủng", "admitted", ""),
                    term("mtq", "(demo) tiêm", "admitted", ""),
                ],
                ..Default::default()
            },
            "Nguyễn Văn A",
        )
        .unwrap()
    };
    let mut edit = c.to_input();
    edit.terms[1].usage_note = "dùng trong thông báo".into();
    {
        let _t = clock::scoped(moment("2026-04-10T14:30+07:00"));
        glossary::update(&mut a, c.id, &edit, "Trần Thị B").unwrap();
    }
    edit.terms[0].status = "preferred".into();
    {
        let _t = clock::scoped(moment("2026-05-20T09:15+07:00"));
        glossary::update(&mut a, c.id, &edit, "Lê Văn C").unwrap();
    }
    let first = String::from_utf8(export(&a, Format::Tbx).unwrap()).unwrap();
    let group = |what: &str, who: &str, when: &str| {
        format!(
            "<transacGrp><transac type=\"transactionType\">{what}</transac>\
             <transacNote type=\"responsibility\">{who}</transacNote><date>{when}</date></transacGrp>"
        )
    };
    let compact: String = first.split('\n').map(str::trim).collect();
    for want in [
        group("origination", "Nguyễn Văn A", "2026-03-02T01:00:00+00:00"),
        group("modification", "Trần Thị B", "2026-04-10T07:30:00+00:00"),
        group("approval", "Lê Văn C", "2026-05-20T02:15:00+00:00"),
    ] {
        assert!(compact.contains(&want), "{want} in {first}");
    }

    let mut b = Db::open_in_memory().unwrap();
    {
        let _t = clock::scoped(moment("2026-11-30T10:00+07:00"));
        let r = import(
            &mut b,
            first.as_bytes(),
            &opts(Format::Tbx),
            "Người nhập",
            true,
        )
        .unwrap();
        assert_eq!(r.new, 1);
    }
    let second = String::from_utf8(export(&b, Format::Tbx).unwrap()).unwrap();
    assert_eq!(first, second);
    // The history at the second office names the same people.
    let got = glossary::all(b.conn()).unwrap();
    let vie = got[0].terms.iter().find(|t| t.lang == "vie").unwrap();
    assert_eq!(vie.status, "preferred");
    let mtq = got[0].terms.iter().find(|t| t.lang == "mtq").unwrap();
    assert_eq!(mtq.author, "Trần Thị B");
}
