//! The six-month and year-end reports: what was produced and what aired,
//! per station and language, from the scripts, takes, packages and air log,
//! as figures for the app's charts and as XLSX/DOCX to attach to the
//! official report.

use crate::base::calendar::{self, Date};
use crate::base::error::{CoreError, Result};
use crate::base::i18n::Localizer;
use crate::base::store::Db;
use crate::draft::script::{Category, Priority};
use rusqlite::params;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use ts_rs::TS;

#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ReportQuery {
    /// `YYYY-MM-DD`, both included.
    pub from: String,
    pub to: String,
    /// Empty: every station.
    #[serde(default)]
    pub station_ids: Vec<i64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Tally {
    pub key: String,
    pub count: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct StationMinutes {
    pub station: String,
    pub lang: String,
    pub produced: f64,
    pub aired: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct TimelinePoint {
    /// `2026-11` (by month) or `2026-W48` (by week, for short periods).
    pub period: String,
    pub produced: f64,
    pub aired: f64,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Report {
    pub from: String,
    pub to: String,
    /// The stations asked for; empty = all.
    pub stations: Vec<String>,
    /// Scripts approved in the period.
    pub scripts: u32,
    pub by_category: Vec<Tally>,
    pub by_program: Vec<Tally>,
    pub by_priority: Vec<Tally>,
    /// Languages with audio produced or aired.
    pub languages: Vec<String>,
    /// Minutes per station and language.
    pub minutes: Vec<StationMinutes>,
    pub produced_minutes: f64,
    pub aired_minutes: f64,
    pub packages_sent: u32,
    pub packages_received: u32,
    pub broadcasts: u32,
    /// Aired within the package's validity.
    pub on_time: u32,
    pub late: u32,
    pub timeline: Vec<TimelinePoint>,
}

fn bucket(d: Date, by_month: bool) -> String {
    if by_month {
        d.to_string()[..7].to_string()
    } else {
        let (y, w) = d.iso_week();
        format!("{y}-W{w:02}")
    }
}

fn tally(db: &Db, sql: &str, args: impl rusqlite::Params) -> Result<Vec<Tally>> {
    let mut stmt = db.conn().prepare(sql)?;
    let rows = stmt.query_map(args, |r| {
        Ok(Tally {
            key: r.get(0)?,
            count: r.get(1)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

fn round2(v: f64) -> f64 {
    (v * 100.0).round() / 100.0
}

pub fn build(db: &Db, q: &ReportQuery) -> Result<Report> {
    let from = calendar::parse_date("date-range", &q.from)?;
    let to = calendar::parse_date("date-range", &q.to)?;
    if to < from {
        return Err(CoreError::invalid("date-range", "end-before-start"));
    }
    if from.days_until(to) > 3 * 366 {
        return Err(CoreError::invalid("date-range", "out-of-range"));
    }
    let offset = crate::base::clock::local_offset(db.conn())?;
    let (t0, t1) = (from.to_unix(offset), to.add_days(1).to_unix(offset));
    let by_month = from.days_until(to) > 62;

    let mut station_names = Vec::new();
    for &id in &q.station_ids {
        station_names.push(crate::broadcast::station::get(db, id)?.summary.name);
    }
    let own = crate::base::settings::load(db)?.station_id;
    let own_name = match own {
        Some(id) => crate::broadcast::station::get(db, id)?.summary.name,
        None => String::new(),
    };
    // Production is this PC's; it counts only if this station is asked for.
    let own_included = q.station_ids.is_empty() || own.is_some_and(|o| q.station_ids.contains(&o));
    let ids_json = serde_json::to_string(&q.station_ids).expect("json");
    let in_stations = "(?3 = '[]' OR a.station_id IN (SELECT value FROM json_each(?3)))";

    let (scripts, by_category, by_program, by_priority) = if own_included {
        let approved = "FROM scripts s LEFT JOIN programs p ON p.id = s.program_id
             WHERE s.deleted_at IS NULL AND s.approved_at >= ?1 AND s.approved_at < ?2";
        (
            db.conn()
                .query_row(&format!("SELECT count(*) {approved}"), params![t0, t1], |r| {
                    r.get(0)
                })?,
            tally(
                db,
                &format!("SELECT s.category, count(*) {approved} GROUP BY 1 ORDER BY 2 DESC, 1"),
                params![t0, t1],
            )?,
            tally(
                db,
                &format!(
                    "SELECT p.name, count(*) {approved} AND p.name IS NOT NULL GROUP BY 1 ORDER BY 2 DESC, 1"
                ),
                params![t0, t1],
            )?,
            tally(
                db,
                &format!("SELECT s.priority, count(*) {approved} GROUP BY 1 ORDER BY 2 DESC, 1"),
                params![t0, t1],
            )?,
        )
    } else {
        (0, vec![], vec![], vec![])
    };

    let mut minutes: Vec<StationMinutes> = Vec::new();
    let mut add = |station: &str, lang: &str, produced: f64, aired: f64| match minutes
        .iter_mut()
        .find(|m| m.station == station && m.lang == lang)
    {
        Some(m) => {
            m.produced += produced;
            m.aired += aired;
        }
        None => minutes.push(StationMinutes {
            station: station.to_string(),
            lang: lang.to_string(),
            produced,
            aired,
        }),
    };
    let mut timeline: Vec<TimelinePoint> = Vec::new();
    let mut day = from;
    while day <= to {
        let b = bucket(day, by_month);
        if timeline.last().map(|p| &p.period) != Some(&b) {
            timeline.push(TimelinePoint {
                period: b,
                produced: 0.0,
                aired: 0.0,
            });
        }
        day = day.add_days(1);
    }
    let at = |ts: i64| -> usize {
        let b = bucket(Date::from_unix(ts, offset), by_month);
        timeline.iter().position(|p| p.period == b).unwrap_or(0)
    };
    let mut produced_points = Vec::new();
    if own_included {
        // Audio produced: the takes chosen for air, recorded in the period.
        let mut stmt = db.conn().prepare(
            "SELECT t.lang, t.seconds, t.created_at FROM takes t
               JOIN scripts s ON s.id = t.script_id
              WHERE t.chosen = 1 AND s.deleted_at IS NULL
                AND t.created_at >= ?1 AND t.created_at < ?2",
        )?;
        let rows = stmt.query_map(params![t0, t1], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, f64>(1)?,
                r.get::<_, i64>(2)?,
            ))
        })?;
        for row in rows {
            let (lang, secs, ts) = row?;
            add(&own_name, &lang, secs / 60.0, 0.0);
            produced_points.push((at(ts), secs / 60.0));
        }
    }
    let mut aired_points = Vec::new();
    let (mut broadcasts, mut on_time, mut late) = (0, 0, 0);
    {
        // This station's own air log, and on a province PC every other
        // station's as the hub reported it (never this station's twice).
        let own_key = crate::base::settings::get_value(db, "key.id")?.unwrap_or_default();
        let mut stmt = db.conn().prepare(&format!(
            "SELECT coalesce(s.name, ''), a.lang, a.seconds, a.aired_at, a.on_time
               FROM air_log a LEFT JOIN stations s ON s.id = a.station_id
              WHERE a.aired_at >= ?1 AND a.aired_at < ?2 AND {in_stations}
             UNION ALL
             SELECT coalesce((SELECT s.name FROM stations s WHERE s.admin_code = n.admin_code
                               AND n.admin_code <> '' LIMIT 1), n.station_name),
                    n.lang, n.seconds, n.aired_at, n.on_time
               FROM network_air_log n
              WHERE n.aired_at >= ?1 AND n.aired_at < ?2 AND n.station_key <> ?4
                AND (?3 = '[]' OR n.admin_code IN (
                     SELECT s.admin_code FROM stations s WHERE s.id IN (SELECT value FROM json_each(?3))))"
        ))?;
        let rows = stmt.query_map(params![t0, t1, ids_json, own_key], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, f64>(2)?,
                r.get::<_, i64>(3)?,
                r.get::<_, Option<bool>>(4)?,
            ))
        })?;
        for row in rows {
            let (station, lang, secs, ts, ok) = row?;
            add(&station, &lang, 0.0, secs / 60.0);
            aired_points.push((at(ts), secs / 60.0));
            broadcasts += 1;
            match ok {
                Some(true) => on_time += 1,
                Some(false) => late += 1,
                None => {}
            }
        }
    }
    for (i, m) in produced_points {
        timeline[i].produced += m;
    }
    for (i, m) in aired_points {
        timeline[i].aired += m;
    }
    for p in &mut timeline {
        p.produced = round2(p.produced);
        p.aired = round2(p.aired);
    }
    for m in &mut minutes {
        m.produced = round2(m.produced);
        m.aired = round2(m.aired);
    }
    minutes.sort_by(|a, b| (&a.station, &a.lang).cmp(&(&b.station, &b.lang)));
    let mut languages: Vec<String> = minutes.iter().map(|m| m.lang.clone()).collect();
    languages.retain(|l| !l.is_empty());
    languages.sort();
    languages.dedup();

    let count_packages = |direction: &str| -> Result<u32> {
        Ok(db.conn().query_row(
            "SELECT count(*) FROM packages p
              WHERE p.direction = ?1 AND p.recorded_at >= ?2 AND p.recorded_at < ?3",
            params![direction, t0, t1],
            |r| r.get(0),
        )?)
    };
    Ok(Report {
        from: from.to_string(),
        to: to.to_string(),
        stations: station_names,
        scripts,
        by_category,
        by_program,
        by_priority,
        languages,
        produced_minutes: round2(minutes.iter().map(|m| m.produced).sum()),
        aired_minutes: round2(minutes.iter().map(|m| m.aired).sum()),
        minutes,
        packages_sent: if own_included {
            count_packages("sent")?
        } else {
            0
        },
        packages_received: if own_included {
            count_packages("received")?
        } else {
            0
        },
        broadcasts,
        on_time,
        late,
        timeline,
    })
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
pub enum ReportFormat {
    Xlsx,
    Docx,
}

/// Labels in the report's language.
struct Labels<'a> {
    l: &'a Localizer,
}

impl Labels<'_> {
    fn t(&self, id: &str) -> String {
        self.l.get(id, &[])
    }

    fn fmt(&self) -> crate::base::format::Formats<'_> {
        crate::base::format::Formats::new(self.l)
    }

    /// Minutes with one decimal, in the language's marks.
    fn minutes(&self, v: f64) -> String {
        self.fmt().number(v, 1)
    }

    fn count(&self, n: u32) -> String {
        self.fmt().number(f64::from(n), 0)
    }

    /// The period as two dates, day first.
    fn period(&self, r: &Report) -> String {
        match (Date::parse(&r.from), Date::parse(&r.to)) {
            (Some(a), Some(b)) => format!("{} – {}", self.fmt().date(a), self.fmt().date(b)),
            _ => format!("{} – {}", r.from, r.to),
        }
    }

    fn category(&self, key: &str) -> String {
        match Category::parse(key) {
            Some(c) => self.t(&format!("category-{}", c.as_str())),
            None => key.to_string(),
        }
    }

    fn priority(&self, key: &str) -> String {
        match Priority::parse(key) {
            Some(p) => self.t(&format!("priority-{}", p.as_str())),
            None => key.to_string(),
        }
    }

    fn lang(&self, db: &Db, code: &str) -> String {
        crate::base::language::get(db.conn(), code)
            .map(|l| format!("{} ({code})", l.name_vi))
            .unwrap_or_else(|_| code.to_string())
    }

    /// (label, value) rows of the summary.
    fn summary(&self, r: &Report) -> Vec<(String, String)> {
        let stations = if r.stations.is_empty() {
            self.t("report-all-stations")
        } else {
            r.stations.join(", ")
        };
        vec![
            (self.t("report-period"), self.period(r)),
            (self.t("report-stations"), stations),
            (self.t("report-scripts"), self.count(r.scripts)),
            (self.t("report-languages"), r.languages.join(", ")),
            (self.t("report-produced"), self.minutes(r.produced_minutes)),
            (self.t("report-aired"), self.minutes(r.aired_minutes)),
            (self.t("report-broadcasts"), self.count(r.broadcasts)),
            (self.t("report-on-time"), self.count(r.on_time)),
            (self.t("report-late"), self.count(r.late)),
            (self.t("report-packages-sent"), self.count(r.packages_sent)),
            (
                self.t("report-packages-received"),
                self.count(r.packages_received),
            ),
        ]
    }

    /// The report's tables: (heading, rows with a header row first).
    fn tables(&self, db: &Db, r: &Report) -> Vec<(String, Vec<Vec<String>>)> {
        let count = self.t("report-count");
        let tallies = |head: String, items: &[Tally], name: &dyn Fn(&str) -> String| {
            let mut rows = vec![vec![head, count.clone()]];
            rows.extend(
                items
                    .iter()
                    .map(|t| vec![name(&t.key), self.count(t.count)]),
            );
            rows
        };
        let mut minutes = vec![vec![
            self.t("report-station"),
            self.t("report-language"),
            self.t("report-produced"),
            self.t("report-aired"),
        ]];
        minutes.extend(r.minutes.iter().map(|m| {
            vec![
                m.station.clone(),
                self.lang(db, &m.lang),
                self.minutes(m.produced),
                self.minutes(m.aired),
            ]
        }));
        let mut timeline = vec![vec![
            self.t("report-period-col"),
            self.t("report-produced"),
            self.t("report-aired"),
        ]];
        timeline.extend(r.timeline.iter().map(|p| {
            vec![
                self.fmt().period(&p.period),
                self.minutes(p.produced),
                self.minutes(p.aired),
            ]
        }));
        vec![
            (
                self.t("report-by-category"),
                tallies(self.t("report-category"), &r.by_category, &|k| {
                    self.category(k)
                }),
            ),
            (
                self.t("report-by-program"),
                tallies(self.t("report-program"), &r.by_program, &|k| k.to_string()),
            ),
            (
                self.t("report-by-priority"),
                tallies(self.t("report-priority"), &r.by_priority, &|k| {
                    self.priority(k)
                }),
            ),
            (self.t("report-minutes"), minutes),
            (self.t("report-timeline"), timeline),
        ]
    }
}

/// Writes the report into `dir` under a fresh name; returns the path.
pub fn export(
    db: &Db,
    q: &ReportQuery,
    format: ReportFormat,
    dir: &Path,
    l: &Localizer,
) -> Result<PathBuf> {
    let r = build(db, q)?;
    let labels = Labels { l };
    let stem = format!("bao-cao-{}-{}", r.from, r.to);
    let bytes = match format {
        ReportFormat::Xlsx => xlsx(db, &r, &labels)?,
        ReportFormat::Docx => docx(db, &r, &labels)?,
    };
    let ext = match format {
        ReportFormat::Xlsx => "xlsx",
        ReportFormat::Docx => "docx",
    };
    crate::base::files::write_fresh(dir, &stem, ext, &bytes)
}

/// Writes the report to exactly `path` (the CLI's `--out`).
pub fn export_to(
    db: &Db,
    q: &ReportQuery,
    format: ReportFormat,
    path: &Path,
    l: &Localizer,
) -> Result<()> {
    let r = build(db, q)?;
    let labels = Labels { l };
    let bytes = match format {
        ReportFormat::Xlsx => xlsx(db, &r, &labels)?,
        ReportFormat::Docx => docx(db, &r, &labels)?,
    };
    crate::base::files::write_atomically(path, &bytes)
}

fn xlsx(db: &Db, r: &Report, labels: &Labels) -> Result<Vec<u8>> {
    use rust_xlsxwriter::{Format, Workbook};
    let err = |e: rust_xlsxwriter::XlsxError| CoreError::DataFile {
        name: "XLSX".into(),
        line: None,
        detail: e.to_string(),
    };
    let bold = Format::new().set_bold();
    let title = Format::new().set_bold().set_font_size(14);
    let mut wb = Workbook::new();
    {
        let sheet = wb.add_worksheet();
        sheet
            .set_name(labels.t("report-sheet-summary"))
            .map_err(err)?;
        sheet
            .write_string_with_format(0, 0, labels.t("report-title"), &title)
            .map_err(err)?;
        for (i, (k, v)) in labels.summary(r).into_iter().enumerate() {
            let row = i as u32 + 2;
            sheet
                .write_string_with_format(row, 0, k, &bold)
                .map_err(err)?;
            match labels.fmt().parse_number(&v) {
                Some(n) => sheet.write_number(row, 1, n).map_err(err)?,
                None => sheet.write_string(row, 1, v).map_err(err)?,
            };
        }
        sheet.set_column_width(0, 36).map_err(err)?;
        sheet.set_column_width(1, 40).map_err(err)?;
    }
    for (n, (heading, rows)) in labels.tables(db, r).into_iter().enumerate() {
        let sheet = wb.add_worksheet();
        // Sheet names are at most 31 characters and unique.
        let name: String = heading.chars().take(28).collect();
        sheet
            .set_name(format!("{} {}", n + 1, name.trim()))
            .map_err(err)?;
        sheet
            .write_string_with_format(0, 0, heading, &title)
            .map_err(err)?;
        for (i, row) in rows.iter().enumerate() {
            for (j, cell) in row.iter().enumerate() {
                let (ri, cj) = (i as u32 + 2, j as u16);
                match (i, labels.fmt().parse_number(cell)) {
                    (0, _) => sheet.write_string_with_format(ri, cj, cell, &bold),
                    (_, Some(v)) if j > 0 => sheet.write_number(ri, cj, v),
                    _ => sheet.write_string(ri, cj, cell),
                }
                .map_err(err)?;
            }
        }
        sheet.set_column_width(0, 34).map_err(err)?;
        sheet.set_column_width(1, 24).map_err(err)?;
        sheet.set_column_width(2, 16).map_err(err)?;
        sheet.set_column_width(3, 16).map_err(err)?;
    }
    wb.save_to_buffer().map_err(err)
}

fn docx(db: &Db, r: &Report, labels: &Labels) -> Result<Vec<u8>> {
    use crate::draft::export::{docx_table, paragraph, Run};
    let heading = |text: &str, size: u32, centered: bool| {
        paragraph(
            &[Run {
                text,
                bold: true,
                color: None,
            }],
            size,
            centered,
        )
    };
    let mut body = heading(&labels.t("report-title").to_uppercase(), 30, true);
    let summary: Vec<Vec<String>> = labels
        .summary(r)
        .into_iter()
        .map(|(k, v)| vec![k, v])
        .collect();
    body.push_str(&docx_table(&summary));
    for (title, rows) in labels.tables(db, r) {
        body.push_str(&heading(&title, 26, false));
        if rows.len() > 1 {
            body.push_str(&docx_table(&rows));
        } else {
            body.push_str(&paragraph(
                &[Run {
                    text: &labels.t("report-none"),
                    bold: false,
                    color: None,
                }],
                24,
                false,
            ));
        }
    }
    crate::draft::export::docx_from_body(&body, "")
}
