//! Planning: every object of the file checked by the core constructors, matched with what is
//! stored, and turned into a step (create, update or nothing). Ids of new objects are chosen
//! here, so later objects can refer to earlier ones of the same file.

mod app_drafts;
mod apps;
mod directory;
mod group_rules;
mod policies;
mod roles;
mod schemas;
mod servers;

use std::collections::{HashMap, HashSet};

use tollgate_core::Timestamp;
use tollgate_core::app::App;
use tollgate_core::app::assignment::{AppGroup, AppUser};
use tollgate_core::app::id_token_claim::IdTokenGroupsClaim;
use tollgate_core::authz::{Claim, Policy, Rule, Scope};
use tollgate_core::directory::{Group, User};
use tollgate_core::server::AuthServer;
use tollgate_store::Store;

use super::model::OrgFile;
use super::{FileError, Problem};

/// What a step does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    /// A new object.
    Create,
    /// An existing object that differs from the file.
    Update,
    /// An existing object that already matches.
    Unchanged,
}

/// One object of the file and what applying does to it.
#[derive(Debug)]
pub struct Step {
    /// What happens.
    pub change: Change,
    /// The object, for people: `user annie@acme.com (00u…)`.
    pub what: String,
    /// A note shown with the step (a generated client secret, shown only this once).
    pub note: Option<String>,
    pub(super) op: Op,
}

/// The write a step makes.
#[derive(Debug)]
#[allow(
    clippy::large_enum_variant,
    reason = "a plan is a short list built once per apply"
)]
pub(super) enum Op {
    None,
    CreateUser(User),
    UpdateUser(User),
    CreateGroup(Group),
    UpdateGroup(Group),
    AddMember {
        group: Group,
        user: User,
    },
    CreateApp(App),
    UpdateApp(App),
    SetAppClaim {
        app: App,
        claim: IdTokenGroupsClaim,
    },
    AssignUser {
        au: AppUser,
        user: User,
        app: App,
    },
    AssignGroup {
        ag: AppGroup,
        group: Group,
        app: App,
    },
    CreateServer(AuthServer, Vec<Scope>, Vec<Claim>),
    UpdateServer(AuthServer),
    CreateScope(Scope, AuthServer),
    UpdateScope(Scope),
    CreateClaim(Claim, AuthServer),
    UpdateClaim(Claim),
    CreatePolicy(Policy, AuthServer),
    UpdatePolicy(Policy),
    CreateRule(Rule, Policy),
    UpdateRule(Rule),
    /// The schema and the revision it was planned from.
    SaveSchema(tollgate_core::schema::ProfileSchema, Option<i64>),
    CreateUserType(tollgate_core::schema::user_type::UserType),
    UpdateUserType(tollgate_core::schema::user_type::UserType),
    CreateGroupRule(tollgate_core::group_rule::GroupRule),
    UpdateGroupRule(tollgate_core::group_rule::GroupRule),
    RegisterToken {
        name: String,
        digest: String,
    },
    AssignRole {
        group: bool,
        id: String,
        role: tollgate_core::admin::RoleType,
        targets: Vec<tollgate_store::TargetRecord>,
    },
}

/// Everything applying a file would do, in the order it does it.
#[derive(Debug)]
pub struct Plan {
    /// The file, for messages.
    pub file: String,
    /// The steps.
    pub steps: Vec<Step>,
}

impl Plan {
    /// How many steps of each kind: (create, update, unchanged).
    pub fn counts(&self) -> (usize, usize, usize) {
        let n = |c: Change| self.steps.iter().filter(|s| s.change == c).count();
        (n(Change::Create), n(Change::Update), n(Change::Unchanged))
    }

    /// Whether applying would write anything.
    pub fn is_noop(&self) -> bool {
        self.steps.iter().all(|s| s.change == Change::Unchanged)
    }

    /// The plan for people: one line per object, then a summary. `done` says whether the
    /// changes were made or only planned (`--dry-run`).
    pub fn render(&self, done: bool) -> String {
        let mut out = String::new();
        for s in &self.steps {
            let (mark, verb) = match (s.change, done) {
                (Change::Create, true) => ('+', "created"),
                (Change::Create, false) => ('+', "would create"),
                (Change::Update, true) => ('~', "changed"),
                (Change::Update, false) => ('~', "would change"),
                (Change::Unchanged, _) => ('=', "unchanged"),
            };
            out.push_str(&format!("  {mark} {verb} {}\n", s.what));
            if let Some(note) = &s.note {
                out.push_str(&format!("      {note}\n"));
            }
        }
        let (c, u, k) = self.counts();
        if self.is_noop() {
            out.push_str(&format!(
                "{}: nothing to change ({k} objects already as declared)\n",
                self.file
            ));
        } else if done {
            out.push_str(&format!(
                "{}: created {c}, changed {u}, left alone {k}\n",
                self.file
            ));
        } else {
            out.push_str(&format!(
                "{}: would create {c}, change {u}, leave alone {k} (dry run: nothing written)\n",
                self.file
            ));
        }
        out
    }
}

/// A user known to the plan (stored or about to be).
#[derive(Debug, Clone)]
struct KnownUser {
    user: User,
}

/// Planning state: what the file has declared so far, and the problems found.
pub(super) struct Planner<'a> {
    store: &'a Store,
    now: Timestamp,
    problems: Vec<Problem>,
    steps: Vec<Step>,
    users: HashMap<String, KnownUser>,
    groups: HashMap<String, Group>,
    stored_groups: Option<Vec<Group>>,
    client_ids: HashSet<String>,
    /// The default user schema and the group schema as the file leaves them.
    schemas: Option<(
        tollgate_core::schema::ProfileSchema,
        tollgate_core::schema::ProfileSchema,
    )>,
}

impl Planner<'_> {
    fn problem(&mut self, path: &str, message: impl Into<String>) {
        self.problems.push(Problem {
            line: None,
            path: path.to_owned(),
            message: message.into(),
        });
    }

    /// Reports a core validation error under `path`, one problem per cause.
    fn core_error(&mut self, path: &str, e: tollgate_core::Error) {
        match e {
            tollgate_core::Error::Invalid { causes, .. } => {
                for c in causes {
                    let at = match &c.field {
                        Some(f) => format!("{path}.{f}"),
                        None => path.to_owned(),
                    };
                    self.problem(&at, c.message);
                }
            }
            other => self.problem(path, other.to_string()),
        }
    }

    fn step(&mut self, change: Change, what: String, op: Op) {
        self.steps.push(Step {
            change,
            what,
            note: None,
            op,
        });
    }

    /// A user by login (or id): declared earlier in the file, or stored.
    async fn user(&mut self, login_or_id: &str) -> anyhow::Result<Option<User>> {
        if let Some(k) = self.users.get(&login_or_id.to_lowercase()) {
            return Ok(Some(k.user.clone()));
        }
        Ok(self.store.find_user(login_or_id).await?)
    }

    /// Every stored group, read once.
    async fn stored_groups(&mut self) -> anyhow::Result<&[Group]> {
        if self.stored_groups.is_none() {
            let mut all = Vec::new();
            let mut after = None;
            loop {
                let q = tollgate_store::GroupQuery {
                    limit: 1000,
                    after: after.clone(),
                    ..tollgate_store::GroupQuery::default()
                };
                let (page, more) = self.store.list_groups(&q).await?;
                after = page.last().map(|g| g.id.as_str().to_owned());
                all.extend(page);
                if !more {
                    break;
                }
            }
            self.stored_groups = Some(all);
        }
        Ok(self.stored_groups.as_deref().unwrap_or_default())
    }

    /// A group by name (or id): declared earlier in the file, or stored.
    async fn group(&mut self, name_or_id: &str) -> anyhow::Result<Option<Group>> {
        if let Some(g) = self.groups.get(&name_or_id.to_lowercase()) {
            return Ok(Some(g.clone()));
        }
        let lower = name_or_id.to_lowercase();
        Ok(self
            .stored_groups()
            .await?
            .iter()
            .find(|g| g.id.as_str() == name_or_id || g.name().to_lowercase() == lower)
            .cloned())
    }
}

/// Checks `org` against the database behind `store` and plans what applying it would do.
/// Every problem in the file is reported at once, and nothing is written.
pub async fn plan(
    store: &Store,
    file: &str,
    org: &OrgFile,
    now: Timestamp,
) -> anyhow::Result<Plan> {
    let mut p = Planner {
        store,
        now,
        problems: Vec::new(),
        steps: Vec::new(),
        users: HashMap::new(),
        groups: HashMap::new(),
        stored_groups: None,
        client_ids: HashSet::new(),
        schemas: None,
    };
    p.plan_schemas(org).await?;
    for (i, u) in org.users.iter().enumerate() {
        p.plan_user(i, u).await?;
    }
    for (i, g) in org.groups.iter().enumerate() {
        p.plan_group(i, g).await?;
    }
    for (i, a) in org.apps.iter().enumerate() {
        p.plan_app(i, a).await?;
    }
    for (i, s) in org.authorization_servers.iter().enumerate() {
        p.plan_server(i, s).await?;
    }
    for (i, t) in org.api_tokens.iter().enumerate() {
        p.plan_token(i, t).await?;
    }
    for (i, r) in org.group_rules.iter().enumerate() {
        p.plan_group_rule(i, r).await?;
    }
    for (i, r) in org.admin_roles.iter().enumerate() {
        p.plan_role(i, r).await?;
    }
    if p.problems.is_empty() {
        Ok(Plan {
            file: file.to_owned(),
            steps: p.steps,
        })
    } else {
        Err(FileError {
            file: file.to_owned(),
            problems: p.problems,
        }
        .into())
    }
}
