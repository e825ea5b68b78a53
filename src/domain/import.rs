//! CSV import, the rules that need no database: reading the file (UTF-8, an optional BOM,
//! the header in any order), each row's fields checked with the same rules as the API
//! (`domain::text`, `domain::client`, `domain::staff`), and duplicates within the file.
//! Every problem is a `FieldError` of a line, in words; nothing here panics on any input.

use crate::domain::client::{RiskTier, Status};
use crate::domain::roles::Role;
use crate::domain::{staff, text, FieldError};
use std::collections::HashMap;

/// The columns of a client import, in the order a template lists them.
pub const CLIENT_COLUMNS: [&str; 7] = [
    "external_id",
    "given_name",
    "family_name",
    "preferred_name",
    "status",
    "case_manager_username",
    "risk_tier",
];

/// The columns of a staff import.
pub const STAFF_COLUMNS: [&str; 5] = ["username", "display_name", "discipline", "team", "role"];

/// One data line of the file: its line number (the header is line 1) and its cells in the
/// order of the expected columns, or why the line could not be read.
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    pub line: u64,
    pub cells: Result<Vec<String>, FieldError>,
}

/// What is wrong with the file as a whole (its encoding or header): reported on line 1.
#[derive(Debug, Clone, PartialEq)]
pub struct FileProblem(pub FieldError);

const SAVE_AS_UTF8: &str = "save the file as UTF-8 (in Excel: Save As, \"CSV UTF-8\")";

/// Read `bytes` as CSV with a header naming exactly `columns` (any order, any case). A UTF-8
/// byte-order mark is accepted; a line that is not UTF-8 is an error of that line.
pub fn read(bytes: &[u8], columns: &[&str]) -> Result<Vec<Line>, FileProblem> {
    let file = |m: String| FileProblem(FieldError::new("file", m));
    let header_problem = |m: String| FileProblem(FieldError::new("header", m));
    let expected = columns.join(",");
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return Err(file(format!("the file is UTF-16; {SAVE_AS_UTF8}")));
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(bytes);
    let mut records = reader.byte_records();
    let header = match records.next() {
        None => {
            return Err(header_problem(format!(
                "the file is empty; the first line must name the columns {expected}"
            )))
        }
        Some(Err(e)) => return Err(file(format!("the file cannot be read as CSV: {e}"))),
        Some(Ok(h)) => h,
    };
    let mut names = Vec::with_capacity(header.len());
    for cell in header.iter() {
        match std::str::from_utf8(cell) {
            Ok(s) => names.push(s.trim().to_lowercase()),
            Err(_) => {
                return Err(file(format!(
                    "line 1 (the header) is not valid UTF-8; {SAVE_AS_UTF8}"
                )))
            }
        }
    }
    let mut index = Vec::with_capacity(columns.len());
    let mut missing = vec![];
    for c in columns {
        match names.iter().position(|n| n == c) {
            Some(i) => index.push(i),
            None => missing.push(*c),
        }
    }
    let unknown: Vec<&str> = names
        .iter()
        .filter(|n| !columns.contains(&n.as_str()))
        .map(|n| if n.is_empty() { "(blank)" } else { n.as_str() })
        .collect();
    let twice: Vec<&str> = columns
        .iter()
        .filter(|c| names.iter().filter(|n| n == c).count() > 1)
        .copied()
        .collect();
    if !missing.is_empty() || !unknown.is_empty() || !twice.is_empty() {
        let mut why = vec![];
        if !missing.is_empty() {
            why.push(format!("missing column(s) {}", missing.join(", ")));
        }
        if !unknown.is_empty() {
            why.push(format!("unknown column(s) {}", unknown.join(", ")));
        }
        if !twice.is_empty() {
            why.push(format!("column(s) named twice: {}", twice.join(", ")));
        }
        return Err(header_problem(format!(
            "{}; the first line must name the columns {expected} (in any order)",
            why.join("; ")
        )));
    }
    // The line a record starts on, counted here: the csv crate's own count is off after a
    // CRLF line end or a blank line (it counts a record's position before the line break that
    // precedes it). Counted incrementally over the bytes, so a large file stays linear.
    let mut counted = (0usize, 1u64);
    let mut line_at = |offset: u64| {
        let mut at = (offset as usize).min(bytes.len());
        while at < bytes.len() && matches!(bytes[at], b'\r' | b'\n') {
            at += 1;
        }
        let (from, lines) = counted;
        let at = at.max(from);
        let more = bytes[from..at].iter().filter(|b| **b == b'\n').count() as u64;
        counted = (at, lines + more);
        lines + more
    };
    let mut out = vec![];
    for rec in records {
        let rec = match rec {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map(|p| line_at(p.byte())).unwrap_or(0);
                out.push(Line {
                    line,
                    cells: Err(FieldError::new("line", format!("cannot be read: {e}"))),
                });
                continue;
            }
        };
        let line = rec.position().map(|p| line_at(p.byte())).unwrap_or(0);
        if rec.iter().all(|c| c.is_empty()) {
            continue;
        }
        if rec.len() != names.len() {
            out.push(Line {
                line,
                cells: Err(FieldError::new(
                    "line",
                    format!(
                        "has {} values but the header names {} columns (a value with a comma needs \"quotes\")",
                        rec.len(),
                        names.len()
                    ),
                )),
            });
            continue;
        }
        let mut cells = Vec::with_capacity(columns.len());
        let mut bad = None;
        for (c, &i) in columns.iter().zip(&index) {
            match std::str::from_utf8(&rec[i]) {
                Ok(s) => cells.push(s.to_string()),
                Err(_) => {
                    bad = Some(*c);
                    break;
                }
            }
        }
        out.push(Line {
            line,
            cells: match bad {
                Some(c) => Err(FieldError::new(
                    c,
                    format!("line {line} is not valid UTF-8 (in {c}); {SAVE_AS_UTF8}"),
                )),
                None => Ok(cells),
            },
        });
    }
    Ok(out)
}

/// One client row, checked.
#[derive(Debug, Clone, PartialEq)]
pub struct ClientFields {
    pub external_id: String,
    pub given_name: String,
    pub family_name: String,
    pub preferred_name: Option<String>,
    /// Blank: referred for a new client, unchanged for an existing one.
    pub status: Option<Status>,
    /// Normalized (lower case); blank: no case manager.
    pub case_manager_username: Option<String>,
    /// Blank: medium for a new client, unchanged for an existing one.
    pub risk_tier: Option<RiskTier>,
}

/// Check one client row (cells in `CLIENT_COLUMNS` order): every problem, by column.
pub fn client_fields(cells: &[String]) -> Result<ClientFields, Vec<FieldError>> {
    let mut errors = vec![];
    let cell = |i: usize| cells.get(i).map(String::as_str).unwrap_or("");
    let mut req = |field: &str, i: usize, max: usize| {
        text::required(field, cell(i), max)
            .map_err(|e| errors.push(e))
            .unwrap_or_default()
    };
    let external_id = req("external_id", 0, 64);
    let given_name = req("given_name", 1, 100);
    let family_name = req("family_name", 2, 100);
    let preferred_name = text::optional("preferred_name", Some(cell(3)), 100)
        .map_err(|e| errors.push(e))
        .unwrap_or_default();
    let status = match cell(4).trim().to_lowercase().as_str() {
        "" => None,
        s => match Status::parse(s).filter(|s| s.is_initial()) {
            Some(s) => Some(s),
            None => {
                errors.push(FieldError::new(
                    "status",
                    format!(
                        "'{s}' is not a status an imported client can start in: referred, screening or active (blank: referred)"
                    ),
                ));
                None
            }
        },
    };
    let case_manager_username = match cell(5).trim() {
        "" => None,
        u => match staff::normalize_username(u) {
            Ok(u) => Some(u),
            Err(m) => {
                errors.push(FieldError::new("case_manager_username", m));
                None
            }
        },
    };
    let risk_tier = match cell(6).trim().to_lowercase().as_str() {
        "" => None,
        r => match RiskTier::parse(r) {
            Some(r) => Some(r),
            None => {
                errors.push(FieldError::new(
                    "risk_tier",
                    format!("'{r}' is not a risk tier: low, medium or high (blank: medium)"),
                ));
                None
            }
        },
    };
    if errors.is_empty() {
        Ok(ClientFields {
            external_id,
            given_name,
            family_name,
            preferred_name,
            status,
            case_manager_username,
            risk_tier,
        })
    } else {
        Err(errors)
    }
}

/// One staff row, checked.
#[derive(Debug, Clone, PartialEq)]
pub struct StaffFields {
    pub username: String,
    pub display_name: String,
    pub discipline: String,
    /// The team's name as written; blank: no membership on this row.
    pub team: Option<String>,
    pub role: Option<Role>,
}

/// Check one staff row (cells in `STAFF_COLUMNS` order).
pub fn staff_fields(cells: &[String]) -> Result<StaffFields, Vec<FieldError>> {
    let mut errors = vec![];
    let cell = |i: usize| cells.get(i).map(String::as_str).unwrap_or("");
    let username = staff::normalize_username(cell(0))
        .map_err(|m| errors.push(FieldError::new("username", m)))
        .unwrap_or_default();
    let display_name = staff::check_display_name(cell(1))
        .map_err(|m| errors.push(FieldError::new("display_name", m)))
        .unwrap_or_default();
    let discipline = match cell(2).trim().to_lowercase() {
        d if d.is_empty() => "other".to_string(),
        d => {
            if let Err(m) = staff::check_discipline(&d) {
                errors.push(FieldError::new("discipline", m));
            }
            d
        }
    };
    let team = text::optional("team", Some(cell(3)), 100)
        .map_err(|e| errors.push(e))
        .unwrap_or_default();
    let role = match cell(4).trim().to_lowercase().as_str() {
        "" => None,
        r => match Role::parse(r) {
            Some(r) => Some(r),
            None => {
                errors.push(FieldError::new(
                    "role",
                    format!("'{r}' is not a role: lead, member or viewer"),
                ));
                None
            }
        },
    };
    match (&team, role) {
        (Some(_), None) if errors.is_empty() => errors.push(FieldError::new(
            "role",
            "is required with a team: lead, member or viewer",
        )),
        (None, Some(_)) => errors.push(FieldError::new(
            "team",
            "is required with a role (the team's name)",
        )),
        _ => {}
    }
    if errors.is_empty() {
        Ok(StaffFields {
            username,
            display_name,
            discipline,
            team,
            role,
        })
    } else {
        Err(errors)
    }
}

/// The first line each key was seen on: a later line with the same key is a duplicate.
#[derive(Default)]
pub struct Seen(HashMap<String, u64>);

impl Seen {
    /// `None` the first time; the earlier line after that.
    pub fn first(&mut self, key: &str, line: u64) -> Option<u64> {
        match self.0.get(key) {
            Some(l) => Some(*l),
            None => {
                self.0.insert(key.to_string(), line);
                None
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cells(s: &str) -> Vec<String> {
        s.split(',').map(str::to_string).collect()
    }

    const HEADER: &str =
        "external_id,given_name,family_name,preferred_name,status,case_manager_username,risk_tier\n";

    #[test]
    fn reads_with_a_bom_and_columns_in_any_order() {
        let mut f = b"\xEF\xBB\xBF".to_vec();
        f.extend_from_slice(
            b"Risk_Tier,external_id,given_name,family_name,preferred_name,status,case_manager_username\r\nhigh,A1,Ann,Lee,,active,sam\r\n\r\n\"low\",A2,\"Bo, Jr\",Kim,,,\n",
        );
        let lines = read(&f, &CLIENT_COLUMNS).unwrap();
        assert_eq!(lines.len(), 2);
        assert_eq!(lines[0].line, 2);
        assert_eq!(
            lines[0].cells.as_ref().unwrap(),
            &cells("A1,Ann,Lee,,active,sam,high")
        );
        assert_eq!(lines[1].line, 4, "after a blank line and CRLF line ends");
        assert_eq!(lines[1].cells.as_ref().unwrap()[1], "Bo, Jr");
        // A quoted value over two lines: the next record starts on the line after it.
        let f = format!("{HEADER}\"A1\",\"Ann\r\nMarie\",Lee,,,,\r\nA2,Bo,Kim,,,,\r\n");
        let lines = read(f.as_bytes(), &CLIENT_COLUMNS).unwrap();
        assert_eq!((lines[0].line, lines[1].line), (2, 4));
    }

    #[test]
    fn names_the_line_that_is_not_utf8() {
        let mut f = HEADER.as_bytes().to_vec();
        f.extend_from_slice(b"A1,Ann,Lee,,,,\nA2,Ren\xE9e,Lee,,,,\n");
        let lines = read(&f, &CLIENT_COLUMNS).unwrap();
        assert!(lines[0].cells.is_ok());
        let e = lines[1].cells.clone().unwrap_err();
        assert_eq!(e.field, "given_name");
        assert!(
            e.message.contains("line 3") && e.message.contains("UTF-8"),
            "{e:?}"
        );
        let e = read(b"\xFF\xFEe\0x\0", &CLIENT_COLUMNS).unwrap_err().0;
        assert!(e.message.contains("UTF-16"), "{e:?}");
    }

    #[test]
    fn wrong_headers_say_what_is_expected() {
        let e = read(b"id,given_name\n1,Ann\n", &CLIENT_COLUMNS)
            .unwrap_err()
            .0;
        assert_eq!(e.field, "header");
        assert!(e
            .message
            .contains("missing column(s) external_id, family_name"));
        assert!(e.message.contains("unknown column(s) id"));
        assert!(e.message.contains(&CLIENT_COLUMNS.join(",")), "{e:?}");
        assert!(read(b"", &CLIENT_COLUMNS)
            .unwrap_err()
            .0
            .message
            .contains("empty"));
        let short = format!("{HEADER}A1,Ann\n");
        let lines = read(short.as_bytes(), &CLIENT_COLUMNS).unwrap();
        assert!(lines[0]
            .cells
            .clone()
            .unwrap_err()
            .message
            .contains("has 2 values"));
    }

    #[test]
    fn client_rows() {
        let ok = client_fields(&cells(" A1 ,Ann,Lee,Annie,Active,Sam.M,HIGH")).unwrap();
        assert_eq!(ok.external_id, "A1");
        assert_eq!(ok.status, Some(Status::Active));
        assert_eq!(ok.case_manager_username.as_deref(), Some("sam.m"));
        assert_eq!(ok.risk_tier, Some(RiskTier::High));
        let blank = client_fields(&cells("A1,Ann,Lee,,,,")).unwrap();
        assert_eq!(
            (blank.status, blank.risk_tier, blank.preferred_name),
            (None, None, None)
        );
        let errs = client_fields(&cells(",,Lee,,discharged,,extreme")).unwrap_err();
        let fields: Vec<&str> = errs.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(
            fields,
            vec!["external_id", "given_name", "status", "risk_tier"]
        );
        assert!(errs[2].message.contains("referred, screening or active"));
    }

    #[test]
    fn staff_rows() {
        let ok = staff_fields(&cells("Sam.M,Sam Miles,Nurse,Riverside ACT,Member")).unwrap();
        assert_eq!(ok.username, "sam.m");
        assert_eq!(ok.role, Some(Role::Member));
        assert_eq!(ok.team.as_deref(), Some("Riverside ACT"));
        let no_team = staff_fields(&cells("sam,Sam,,,")).unwrap();
        assert_eq!((no_team.discipline.as_str(), no_team.team), ("other", None));
        let errs = staff_fields(&cells("s,,wizard,Team,boss")).unwrap_err();
        let fields: Vec<&str> = errs.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(
            fields,
            vec!["username", "display_name", "discipline", "role"]
        );
        assert_eq!(
            staff_fields(&cells("sam,Sam,,Team,")).unwrap_err()[0].field,
            "role"
        );
        assert_eq!(
            staff_fields(&cells("sam,Sam,,,lead")).unwrap_err()[0].field,
            "team"
        );
    }

    #[test]
    fn duplicates_name_the_first_line() {
        let mut seen = Seen::default();
        assert_eq!(seen.first("A1", 2), None);
        assert_eq!(seen.first("A2", 3), None);
        assert_eq!(seen.first("A1", 4), Some(2));
    }
}
