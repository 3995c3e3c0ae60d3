//! The station's side of the province hub, without a network: what waits
//! to be sent survives the original file going away, the inbox cursor only
//! moves forward, and receipts (delivered, imported, aired) queue once each.

use loa_core::broadcast::hub;
use loa_core::broadcast::network::{InboxEntry, ReceiptKind};
use loa_core::broadcast::package::BuildRequest;
use loa_core::broadcast::{airlog, group};

mod common;
mod stations;
use stations::*;

#[test]
fn a_queued_send_keeps_its_own_copy_and_expands_groups() {
    let mut issuer = station("Xã Ba Tơ", "51123");
    let a = approved_script(&mut issuer, "Lịch tiêm chủng tháng 12", &["vie"]);
    // A group of two stations known here, by admin code.
    let mut members = vec![];
    for (name, code) in [("Xã Ba Vì", "51124"), ("Xã Ba Xa", "51125")] {
        let s = loa_core::broadcast::station::create(
            &mut issuer.db,
            &loa_core::broadcast::station::StationNew {
                name: name.into(),
                admin_code: code.into(),
            },
        )
        .unwrap();
        members.push(s.summary.id);
    }
    let g = group::save(
        &mut issuer.db,
        &group::GroupSave {
            id: None,
            name: "Ven sông".into(),
            station_ids: members,
        },
    )
    .unwrap();
    let out = issuer.dir.path().join("p.loa");
    let mut req = BuildRequest::new(vec![a], out.display().to_string());
    req.target_groups = vec![g.id];
    build(&mut issuer, &req);

    // Only this station's own packages go out under its name.
    let mut other = station("Xã Ba Vì", "51124");
    let b = approved_script(&mut other, "Thông báo", &["vie"]);
    let theirs = other.dir.path().join("q.loa");
    build(
        &mut other,
        &BuildRequest::new(vec![b], theirs.display().to_string()),
    );
    let e = hub::queue_send(&issuer.db, issuer.dir.path(), &theirs).unwrap_err();
    assert_eq!(e.code(), "package-untrusted");

    hub::queue_send(&issuer.db, issuer.dir.path(), &out).unwrap();
    hub::queue_send(&issuer.db, issuer.dir.path(), &out).unwrap();
    std::fs::remove_file(&out).unwrap();
    let queued = hub::outbox(&issuer.db).unwrap();
    assert_eq!(queued.len(), 1, "queued once");
    assert_eq!(queued[0].to_codes, "51124,51125");
    assert!(
        queued[0].file.is_file(),
        "its own copy, after the original went"
    );
    assert_eq!(hub::link(&issuer.db).unwrap().outbox, 1);

    hub::sent(&issuer.db, issuer.dir.path(), &queued[0], None).unwrap();
    assert!(hub::outbox(&issuer.db).unwrap().is_empty());
    assert!(
        !queued[0].file.exists(),
        "the copy goes once the hub has it"
    );
}

fn entry(seq: i64, sha: char, uuid: &str) -> InboxEntry {
    InboxEntry {
        seq,
        sha256: sha.to_string().repeat(64),
        package_id: uuid.into(),
        title: format!("Gói {seq}"),
        priority: "normal".into(),
        issuer_key_id: "AAAA-BBBB-CCCC-DDDD".into(),
        size: 100,
    }
}

#[test]
fn the_inbox_moves_forward_and_receipts_queue_once() {
    let mut c = station("Xã Ba Vì", "51124");
    assert_eq!(hub::cursor(&c.db).unwrap(), 0);
    hub::listed(&mut c.db, &[entry(3, 'a', "u-a"), entry(7, 'b', "u-b")]).unwrap();
    // The same entries again (a sync cut after listing) change nothing.
    hub::listed(&mut c.db, &[entry(3, 'a', "u-a")]).unwrap();
    assert_eq!(hub::cursor(&c.db).unwrap(), 7);
    let w = hub::waiting(&c.db, c.dir.path()).unwrap();
    assert_eq!(w.iter().map(|w| w.seq).collect::<Vec<_>>(), vec![3, 7]);

    let a = "a".repeat(64);
    hub::downloaded(&c.db, &a).unwrap();
    hub::held(&c.db, &a, "package-untrusted").unwrap();
    let w = hub::waiting(&c.db, c.dir.path()).unwrap();
    assert_eq!(
        (w[0].state.as_str(), w[0].problem.as_str()),
        ("downloaded", "package-untrusted")
    );
    hub::imported(&c.db, c.dir.path(), &a).unwrap();
    hub::refused(&c.db, c.dir.path(), &"b".repeat(64), "package-tampered").unwrap();
    assert!(hub::waiting(&c.db, c.dir.path()).unwrap().is_empty());

    let r = hub::receipts(&c.db, 100).unwrap();
    let kinds: Vec<_> = r
        .iter()
        .map(|(_, r)| (r.package_id.as_str(), r.kind))
        .collect();
    assert_eq!(
        kinds,
        vec![
            ("u-a", ReceiptKind::Delivered),
            ("u-a", ReceiptKind::Imported)
        ]
    );
    let ids: Vec<i64> = r.iter().map(|(id, _)| *id).collect();
    hub::receipts_sent(&mut c.db, &ids).unwrap();
    assert!(hub::receipts(&c.db, 100).unwrap().is_empty());
    assert_eq!(hub::link(&c.db).unwrap().receipts, 0);
}

#[test]
fn what_aired_goes_back_once() {
    let mut issuer = station("Xã Ba Tơ", "51123");
    let mut commune = station("Xã Ba Vì", "51124");
    let a = approved_script(&mut issuer, "Lịch tiêm chủng tháng 12", &["vie"]);
    let out = issuer.dir.path().join("p.loa");
    let mut req = BuildRequest::new(vec![a], out.display().to_string());
    req.valid_from = Some("2099-01-05".into());
    build(&mut issuer, &req);
    trust(&mut commune, &issuer);
    let detail = import(&mut commune, &out).unwrap();
    let item = detail.items[0].id;
    airlog::mark(
        &mut commune.db,
        &airlog::AirMark {
            entry_id: None,
            item_id: Some(item),
            aired_at: Some("2099-01-05 06:00".into()),
            seconds: None,
        },
    )
    .unwrap();
    assert_eq!(hub::queue_aired(&mut commune.db).unwrap(), 1);
    assert_eq!(hub::queue_aired(&mut commune.db).unwrap(), 0, "once");
    let r = hub::receipts(&commune.db, 10).unwrap();
    assert_eq!(r.len(), 1);
    assert_eq!(r[0].1.kind, ReceiptKind::Aired);
    assert_eq!(r[0].1.package_id, detail.summary.uuid);
    assert_eq!(r[0].1.lang, "vie");
    assert!(
        r[0].1.at.starts_with("2099-01-05T06:00:00"),
        "{}",
        r[0].1.at
    );
}
