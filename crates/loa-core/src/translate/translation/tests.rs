use super::*;
use crate::draft::script::ScriptInput;
use crate::translate::glossary::{self, ConceptInput, TermInput};

pub(crate) fn setup() -> (Db, i64) {
    let mut db = Db::open_in_memory().unwrap();
    let s = script::create(
        &mut db,
        &ScriptInput {
            title: "Tiêm chủng".into(),
            body: "Trạm y tế xã tổ chức tiêm chủng. Bà con mang theo sổ.\nHạn chót là 21/3/2023."
                .into(),
            ..Default::default()
        },
        "Lan",
    )
    .unwrap();
    let term = |lang: &str, text: &str, status: &str| TermInput {
        lang: lang.into(),
        text: text.into(),
        status: status.into(),
        ..Default::default()
    };
    glossary::create(
        &mut db,
        &ConceptInput {
            terms: vec![
                term("vie", "tiêm chủng", "preferred"),
                term("mtq", "tiêm chủng", "preferred"),
                term("mtq", "chích", "forbidden"),
            ],
            ..Default::default()
        },
        "Lan",
    )
    .unwrap();
    (db, s.summary.id)
}

fn save(db: &mut Db, id: i64, pos: u32, target: &str, confirm: bool) -> Translation {
    let source = open(db, id, "mtq").unwrap().segments[pos as usize]
        .source
        .clone();
    save_segment(
        db,
        &SegmentSave {
            script_id: id,
            lang: "mtq".into(),
            position: pos,
            source,
            target: target.into(),
            confirm,
        },
        "Hùng",
    )
    .unwrap()
}

#[test]
fn segments_terms_progress_and_memory() {
    let (mut db, id) = setup();
    let t = open(&mut db, id, "mtq").unwrap();
    assert_eq!(t.segments.len(), 3);
    assert_eq!(t.progress.untranslated, 3);
    let hit = &t.segments[0].terms[0];
    assert_eq!(hit.source, "tiêm chủng");
    assert_eq!(
        hit.targets[0],
        TargetTerm {
            text: "tiêm chủng".into(),
            status: "preferred".into()
        }
    );
    assert_eq!(hit.targets[1].status, "forbidden");

    // Warm the memory index, then confirm: the unit is pushed, not rebuilt.
    assert!(matches(
        &mut db,
        &MatchQuery {
            lang: "mtq".into(),
            source: "x".into(),
            threshold: None
        }
    )
    .unwrap()
    .is_empty());
    let t = save(&mut db, id, 0, "Trạm y tế xã tổ chức tiêm chủng.", true);
    assert_eq!(t.progress.confirmed, 1);
    assert_eq!(t.segments[0].translator, "Hùng");
    let m = matches(
        &mut db,
        &MatchQuery {
            lang: "mtq".into(),
            source: "Trạm y tế phường tổ chức tiêm chủng.".into(),
            threshold: None,
        },
    )
    .unwrap();
    assert_eq!(m.len(), 1);
    assert_eq!(m[0].score, 87);
    assert!(m[0].diff.iter().any(|d| d.text.contains("phường")));

    let t = save(&mut db, id, 1, "Draft", false);
    assert_eq!(
        (t.progress.draft, t.segments[1].status),
        (1, SegmentStatus::Draft)
    );
    let t = save(&mut db, id, 1, "  ", false);
    assert_eq!(t.segments[1].status, SegmentStatus::Untranslated);

    let err = save_segment(
        &mut db,
        &SegmentSave {
            script_id: id,
            lang: "mtq".into(),
            position: 0,
            source: "Khác.".into(),
            target: "x".into(),
            confirm: true,
        },
        "Hùng",
    )
    .unwrap_err();
    assert_eq!(err.code(), "invalid");
    assert!(open(&mut db, id, "vie").is_err());
}

#[test]
fn export_in_the_language_font() {
    let (mut db, id) = setup();
    save(&mut db, id, 0, "ꪀꪱ ꪕ.", true);
    let mut blt = crate::base::language::get(db.conn(), "mtq").unwrap();
    blt.font = "Noto Sans Tai Viet".into();
    crate::base::language::save(&db, &blt).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let l = crate::base::i18n::Localizer::new("vi");
    let req = TranslationExport {
        script_id: id,
        lang: "mtq".into(),
        format: crate::draft::export::ExportFormat::Txt,
    };
    let path = export(&mut db, &req, dir.path(), &l).unwrap();
    let txt = std::fs::read_to_string(&path).unwrap();
    assert!(txt.contains("ꪀꪱ ꪕ. [Bà con mang theo sổ.]"), "{txt}");
    assert!(txt.contains("[Hạn chót là 21/3/2023.]"));
    let req = TranslationExport {
        format: crate::draft::export::ExportFormat::Docx,
        ..req
    };
    let path = export(&mut db, &req, dir.path(), &l).unwrap();
    let mut zip = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    let mut styles = String::new();
    std::io::Read::read_to_string(&mut zip.by_name("word/styles.xml").unwrap(), &mut styles)
        .unwrap();
    assert!(styles.contains("w:ascii=\"Noto Sans Tai Viet\""));
    assert_eq!(summary(&mut db, id).unwrap()[0].progress.confirmed, 1);
}

#[test]
fn source_edits_mark_segments_outdated() {
    let (mut db, id) = setup();
    save(&mut db, id, 0, "A.", true);
    save(&mut db, id, 1, "B.", true);
    save(&mut db, id, 2, "C.", true);
    db.conn()
        .execute("UPDATE translations SET status = 'translated'", [])
        .unwrap();
    assert_eq!(
        open(&mut db, id, "mtq").unwrap().status,
        TranslationStatus::Translated
    );
    let mut input = script::get(&db, id).unwrap().input;
    // A sentence inserted at the top, the second edited.
    input.body = "Thông báo mới. Trạm y tế xã tổ chức tiêm chủng. Bà con mang theo sổ hộ khẩu.\nHạn chót là 21/3/2023.".into();
    script::update(&mut db, id, &input, "Lan").unwrap();
    let t = open(&mut db, id, "mtq").unwrap();
    let st: Vec<_> = t
        .segments
        .iter()
        .map(|s| (s.status, s.target.as_str()))
        .collect();
    assert_eq!(
        st,
        vec![
            (SegmentStatus::Untranslated, ""),
            (SegmentStatus::Confirmed, "A."),
            (SegmentStatus::Outdated, "B."),
            (SegmentStatus::Confirmed, "C."),
        ]
    );
    assert_eq!(
        t.segments[2].previous_source.as_deref(),
        Some("Bà con mang theo sổ.")
    );
    // Confirming the outdated segment again makes it current.
    let t = save(&mut db, id, 2, "B2.", true);
    assert_eq!(t.segments[2].status, SegmentStatus::Confirmed);
    assert_eq!(t.progress.outdated, 0);
}
