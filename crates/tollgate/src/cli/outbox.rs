//! `tollgate outbox`: the e-mail kept in the local outbox (no SMTP server set), newest first,
//! with the links in each message, so a developer or a CI job can follow an activation or
//! reset link without a mail server.

use clap::Args;
use tollgate_core::Timestamp;

use crate::cli::args::DbArgs;

/// `tollgate outbox [--limit N] [--json]`.
#[derive(Debug, Clone, Args)]
pub struct OutboxArgs {
    /// Messages to show at most, newest first.
    #[arg(long, default_value_t = 20)]
    pub limit: u32,
    /// One JSON object per message (id, created, kind, to, subject, links, body).
    #[arg(long)]
    pub json: bool,
    /// Database and settings file.
    #[command(flatten)]
    pub db: DbArgs,
}

/// Prints the outbox.
pub async fn run(args: &OutboxArgs) -> anyhow::Result<()> {
    let store = crate::cli::org::open(&args.db, None).await?;
    let messages = store.outbox(i64::from(args.limit.max(1))).await?;
    if messages.is_empty() && !args.json {
        println!("The outbox is empty (messages appear here when no SMTP server is set).");
    }
    for m in &messages {
        let links = tollgate_core::mail::links(&m.body);
        let created = Timestamp::from_millis(m.created);
        if args.json {
            let line = serde_json::json!({
                "id": m.id, "created": created.to_string(), "kind": m.kind,
                "to": m.recipient, "subject": m.subject, "links": links, "body": m.body,
            });
            println!("{line}");
        } else {
            println!("{created}  {}  to {}\n  {}", m.kind, m.recipient, m.subject);
            for link in links {
                println!("  {link}");
            }
        }
    }
    Ok(())
}
