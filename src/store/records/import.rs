//! The report of a CSV import (the answer of a dry run, an applied import, and a refused one)
//! and the one event an applied client import appends.

use crate::domain::FieldError;
use serde::Serialize;
use utoipa::ToSchema;

/// What one line of the file does (or would do, in a dry run).
#[derive(Serialize, ToSchema, Clone, Copy, Debug, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum RowAction {
    Create,
    Update,
    Unchanged,
    Error,
}

#[derive(Serialize, ToSchema, Clone, Debug)]
pub struct RowReport {
    /// The line of the file (the header is line 1).
    pub line: u64,
    pub action: RowAction,
    /// The row's key as written: the client's `external_id` or the staff member's `username`
    /// (blank when the line could not be read).
    pub key: String,
    /// Each problem of the row, in words (empty unless `action` is `error`).
    pub errors: Vec<FieldError>,
}

#[derive(Serialize, ToSchema, Clone, Debug, Default)]
pub struct ImportReport {
    /// One entry per data line, in file order (or one for line 1 when the file's encoding or
    /// header is wrong).
    pub rows: Vec<RowReport>,
    pub created: u32,
    pub updated: u32,
    pub unchanged: u32,
    /// Lines with an error: when any, an applied import stores nothing.
    pub failed: u32,
    /// Something to know about the result (imported staff have no password yet).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub notice: Option<String>,
}

impl ImportReport {
    pub fn push(&mut self, line: u64, key: &str, action: RowAction, errors: Vec<FieldError>) {
        match action {
            RowAction::Create => self.created += 1,
            RowAction::Update => self.updated += 1,
            RowAction::Unchanged => self.unchanged += 1,
            RowAction::Error => self.failed += 1,
        }
        self.rows.push(RowReport {
            line,
            action,
            key: key.to_string(),
            errors,
        });
    }

    /// The report of a file whose encoding or header is wrong.
    pub fn file_problem(e: FieldError) -> Self {
        let mut r = ImportReport::default();
        r.push(1, "", RowAction::Error, vec![e]);
        r
    }
}

/// A client import was applied: the board reads the team's clients again (one event for the
/// whole file, not one `client.created` per row; counts only, no names).
#[derive(Serialize, ToSchema, Clone, Debug)]
pub struct ClientsImported {
    pub created: u32,
    pub updated: u32,
}

/// The problem answered when an applied import is refused (422 `import_failed`): the report's
/// fields beside the problem's.
#[derive(Serialize, ToSchema)]
pub struct ImportFailedProblem {
    #[serde(rename = "type")]
    pub type_: String,
    pub title: String,
    pub status: u16,
    pub detail: String,
    /// `import_failed`
    pub code: String,
    pub rows: Vec<RowReport>,
    pub created: u32,
    pub updated: u32,
    pub unchanged: u32,
    pub failed: u32,
}
