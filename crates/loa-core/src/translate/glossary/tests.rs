use super::*;

fn forms(cell: &str) -> Vec<(String, String)> {
    split_forms(cell)
        .into_iter()
        .map(|f| (f.text, f.note))
        .collect()
}

#[test]
fn source_notation_is_cleaned() {
    let s = |a: &str, b: &str| (a.to_string(), b.to_string());
    assert_eq!(forms("tao / (tôi)"), vec![s("tao", ""), s("tôi", "")]);
    assert_eq!(forms("máu (<'sap')"), vec![s("máu", "<'sap'")]);
    assert_eq!(
        forms("nhỏ / nít (small regarding children), bé"),
        vec![
            s("nhỏ", ""),
            s("nít", "small regarding children"),
            s("bé", "")
        ]
    );
    assert_eq!(forms("đét (con, đói)"), vec![s("đét", "con, đói")]);
    assert_eq!(
        forms("tồl \"hill\"; khũ \"mountain\";"),
        vec![s("tồl", "hill"), s("khũ", "mountain")]
    );
    assert_eq!(
        forms("lửa (cf. củi \"firewood\")"),
        vec![s("lửa", "cf. củi \"firewood\"")]
    );
    assert_eq!(forms("cǎ́n"), vec![s("cắn", "")]);
    assert_eq!(forms("  "), vec![]);
}

fn term(lang: &str, text: &str, status: &str) -> TermInput {
    TermInput {
        lang: lang.into(),
        text: text.into(),
        status: status.into(),
        ..Default::default()
    }
}

fn concept(terms: Vec<TermInput>) -> ConceptInput {
    ConceptInput {
        domain: "y tế".into(),
        terms,
        ..Default::default()
    }
}

fn search(db: &Db, q: ConceptQuery) -> Vec<i64> {
    list(db, &q).unwrap().items.iter().map(|c| c.id).collect()
}

#[test]
fn edit_search_filter_delete_and_undo() {
    let mut db = Db::open_in_memory().unwrap();
    let a = create(
        &mut db,
        &concept(vec![
            term("vie", "bảo hiểm y tế", "preferred"),
            term("vie", "BHYT", "admitted"),
            term("vie", "Bảo hiểm Y tế", "admitted"),
        ]),
        "Lan",
    )
    .unwrap();
    // The repeat differs only in case: kept once.
    assert_eq!(a.terms.len(), 2);
    assert_eq!(a.terms[0].author, "Lan");
    let b = create(
        &mut db,
        &ConceptInput {
            domain: "nông nghiệp".into(),
            ..concept(vec![term("vie", "hoà giải", "admitted")])
        },
        "Lan",
    )
    .unwrap();
    // Stored with the canonical tone placement, found without marks.
    assert_eq!(b.terms[0].text, "hòa giải");
    let q = ConceptQuery::default;
    for (query, want) in [
        (
            ConceptQuery {
                search: Some("hoa giai".into()),
                ..q()
            },
            b.id,
        ),
        (
            ConceptQuery {
                domain: Some("y tế".into()),
                ..q()
            },
            a.id,
        ),
        (
            ConceptQuery {
                status: Some("preferred".into()),
                ..q()
            },
            a.id,
        ),
    ] {
        assert_eq!(search(&db, query), vec![want]);
    }
    assert_eq!(domains(&db).unwrap(), vec!["nông nghiệp", "y tế"]);

    // Edit: change one term's status, drop one, add a Mường term.
    let mut input = concept(vec![]);
    input.terms.push(TermInput {
        id: Some(a.terms[0].id),
        ..term("vie", "bảo hiểm y tế", "preferred")
    });
    input.terms.push(term("mtq", "bảo hiểm y tế", "admitted"));
    let edited = update(&mut db, a.id, &input, "Hùng").unwrap();
    assert_eq!(edited.terms.len(), 2);
    assert_eq!(
        edited.terms[0].author, "Lan",
        "an unchanged term keeps its author"
    );
    assert_eq!(edited.terms[1].lang, "mtq");
    assert_eq!(edited.terms[1].author, "Hùng");

    for bad in [
        concept(vec![]),
        concept(vec![term("vie", "  ", "admitted")]),
        concept(vec![term("vie", "x", "approved")]),
        concept(vec![term("zzz", "x", "admitted")]),
    ] {
        assert!(create(&mut db, &bad, "Lan").is_err());
    }
    assert_eq!(count(&db).unwrap(), 2);

    delete(&mut db, a.id, "An").unwrap();
    assert_eq!(count(&db).unwrap(), 1);
    assert!(
        crate::translate::glossary::terms::TermIndex::load(&db, "vie")
            .unwrap()
            .find("Thẻ bảo hiểm y tế")
            .is_empty()
    );
    undelete(&mut db, a.id, "An").unwrap();
    assert_eq!(count(&db).unwrap(), 2);
    assert_eq!(
        crate::translate::glossary::terms::TermIndex::load(&db, "vie")
            .unwrap()
            .find("Thẻ bảo hiểm y tế")
            .len(),
        1
    );
}

#[test]
fn merge_moves_terms_once() {
    let mut db = Db::open_in_memory().unwrap();
    let keep = create(
        &mut db,
        &concept(vec![term("vie", "tiêm chủng", "preferred")]),
        "Lan",
    )
    .unwrap();
    let dup = create(
        &mut db,
        &ConceptInput {
            definition: "đưa vắc xin vào cơ thể".into(),
            ..concept(vec![
                term("vie", "Tiêm chủng", "admitted"),
                term("vie", "chích ngừa", "admitted"),
            ])
        },
        "Hùng",
    )
    .unwrap();
    let merged = merge(&mut db, keep.id, dup.id, "Lan").unwrap();
    let texts: Vec<_> = merged
        .terms
        .iter()
        .map(|t| (t.text.as_str(), t.status.as_str()))
        .collect();
    assert_eq!(
        texts,
        vec![("tiêm chủng", "preferred"), ("chích ngừa", "admitted")]
    );
    assert_eq!(merged.definition, "đưa vắc xin vào cơ thể");
    assert!(get(db.conn(), dup.id).is_err());
    assert_eq!(count(&db).unwrap(), 1);
    assert!(merge(&mut db, keep.id, keep.id, "Lan").is_err());
}
