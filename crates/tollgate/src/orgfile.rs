//! Org as code: a YAML file that declares users, groups, apps, authorization servers and API
//! tokens, applied idempotently through the store (`tollgate apply`, `serve --config-org`,
//! `serve --demo`) and written back from a database (`tollgate export`).
//!
//! Applying is two phases. [`plan`] reads the whole file, checks every object with the same core
//! constructors the HTTP API uses (so a claim expression is checked exactly as a save through
//! the API checks it) and compares it with what is stored; nothing is written unless the whole
//! file is valid. [`Plan::execute`] then writes each change with its System Log event, the CLI
//! being the actor. Apply only adds and updates: objects the file does not mention are left
//! alone, so a file can describe part of an org.

mod apply;
pub mod export;
mod export_roles;
mod locate;
pub mod model;
mod model_meta;
mod model_password;
mod model_recovery;
mod plan;

use std::fmt;

pub use model::OrgFile;
pub use plan::{Change, Plan, Step, plan};

/// One thing wrong with an org file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// The line, when the YAML parser knows it.
    pub line: Option<usize>,
    /// Where in the document: `users[2].login`, `apps[0].settings.grant_types`, ...
    pub path: String,
    /// What is wrong.
    pub message: String,
}

/// Why a file was refused: every problem found, each naming the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileError {
    /// The file as the user named it.
    pub file: String,
    /// What is wrong, in document order.
    pub problems: Vec<Problem>,
}

impl fmt::Display for FileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "{} is not valid ({} problem{}); nothing was changed:",
            self.file,
            self.problems.len(),
            if self.problems.len() == 1 { "" } else { "s" }
        )?;
        for p in &self.problems {
            match p.line {
                Some(line) => write!(f, "  {}:{line}: ", self.file)?,
                None => write!(f, "  {}: ", self.file)?,
            }
            if p.path.is_empty() {
                writeln!(f, "{}", p.message)?;
            } else {
                writeln!(f, "{}: {}", p.path, p.message)?;
            }
        }
        Ok(())
    }
}

impl std::error::Error for FileError {}

/// Parses an org file's text. `file` names it in errors.
pub fn parse(file: &str, text: &str) -> Result<OrgFile, FileError> {
    let fail = |problem: Problem| FileError {
        file: file.to_owned(),
        problems: vec![problem],
    };
    if text.trim().is_empty() {
        return Ok(OrgFile::default());
    }
    serde_norway::from_str::<OrgFile>(text).map_err(|e| {
        let line = e.location().map(|l| l.line());
        // The parser's message starts with the path (`users[0]: unknown field ...`) and ends
        // with the position, which the line prefix already gives.
        let text = e.to_string();
        let text = match text.rfind(" at line ") {
            Some(i) => text.get(..i).unwrap_or(&text).to_owned(),
            None => text,
        };
        let (path, message) = match text.split_once(": ") {
            Some((path, message))
                if !path.contains(' ') && path.chars().next().is_some_and(char::is_alphabetic) =>
            {
                (path.to_owned(), message.to_owned())
            }
            _ => (String::new(), text),
        };
        fail(Problem {
            line,
            path,
            message,
        })
    })
}

/// Plans `org` against `store` and, unless `dry_run`, writes the changes (`command` names the
/// CLI actor in the System Log). Returns the plan, which says what was (or would be) done.
pub async fn apply(
    store: &tollgate_store::Store,
    file: &str,
    org: &OrgFile,
    dry_run: bool,
    command: &str,
    now: tollgate_core::Timestamp,
) -> anyhow::Result<Plan> {
    let plan = plan(store, file, org, now).await?;
    if !dry_run && !plan.is_noop() {
        plan.execute(store, command, now).await?;
    }
    Ok(plan)
}

/// Parses `text` and applies it as [`apply`] does; problems found after parsing are given the
/// line of their field in `text`.
pub async fn apply_text(
    store: &tollgate_store::Store,
    file: &str,
    text: &str,
    dry_run: bool,
    command: &str,
    now: tollgate_core::Timestamp,
) -> anyhow::Result<Plan> {
    let org = parse(file, text)?;
    apply(store, file, &org, dry_run, command, now)
        .await
        .map_err(|e| match e.downcast::<FileError>() {
            Ok(mut fe) => {
                for p in fe.problems.iter_mut().filter(|p| p.line.is_none()) {
                    p.line = locate::line_of(text, &p.path);
                }
                fe.into()
            }
            Err(other) => other,
        })
}

/// Reads an org file from disk.
pub fn read(path: &std::path::Path) -> anyhow::Result<String> {
    std::fs::read_to_string(path)
        .map_err(|e| anyhow::anyhow!("cannot read the org file {}: {e}", path.display()))
}

/// Renders an [`OrgFile`] as YAML.
pub fn to_yaml(org: &OrgFile) -> anyhow::Result<String> {
    serde_norway::to_string(org).map_err(|e| anyhow::anyhow!("cannot write YAML: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_errors_name_file_line_and_path() {
        let e = parse(
            "org.yaml",
            "users:\n  - login: a@x.com\n    firstName: A\n    lastName: B\n    nickname: x\n",
        )
        .unwrap_err();
        assert_eq!(e.problems.len(), 1);
        assert_eq!(e.problems[0].line, Some(5));
        assert_eq!(e.problems[0].path, "users[0]");
        assert!(
            e.to_string()
                .contains("org.yaml:5: users[0]: unknown field `nickname`"),
            "{e}"
        );
        assert_eq!(parse("empty.yaml", "  \n").unwrap(), OrgFile::default());
    }
}
