//! The command line: serve, migrate, backup, demo, openapi, user add, import.

use crate::config::{Config, ConfigArgs};
use crate::{db, demo, server};
use clap::{Parser, Subcommand};
use std::io::BufRead;
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "actboard",
    version,
    about = "Live coordination board for community mental-health teams"
)]
struct Cli {
    #[command(flatten)]
    config: ConfigArgs,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Migrate the database, then serve the API and the web app.
    Serve,
    /// Apply pending database migrations and exit.
    Migrate,
    /// Load the demo teams (Riverside ACT, Northside ICM) into an empty database and print the logins.
    Demo {
        /// Seed for the generated demo data (same seed, same data).
        #[arg(long, default_value_t = 42)]
        seed: u64,
        /// Weeks of contact history before today (104 gives the two-year benchmark team).
        #[arg(long, default_value_t = 8)]
        weeks: u32,
    },
    /// Copy the live SQLite database to a new file, consistently, while the server runs
    /// (PostgreSQL: use pg_dump). Never overwrites a file.
    Backup {
        /// The new file to write (must not exist).
        #[arg(long)]
        out: std::path::PathBuf,
    },
    /// Print the OpenAPI document (the API, the event vocabulary and the live frames) as JSON.
    Openapi,
    /// Manage staff accounts.
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
    /// Import clients or staff from a CSV file: all rows or none, matched by external_id or
    /// username (the same file twice changes nothing). Exits 1 when a row fails.
    Import {
        #[command(subcommand)]
        command: ImportCommand,
    },
}

#[derive(Subcommand)]
enum ImportCommand {
    /// A team's clients. Header:
    /// external_id,given_name,family_name,preferred_name,status,case_manager_username,risk_tier
    Clients {
        /// The CSV file (UTF-8).
        file: std::path::PathBuf,
        /// The team's id.
        #[arg(long)]
        team: String,
        /// Check every row and print the report; store nothing.
        #[arg(long)]
        dry_run: bool,
    },
    /// Staff accounts and their team memberships. Header: username,display_name,discipline,team,role
    /// (new accounts have no password until an administrator sets one).
    Staff {
        /// The CSV file (UTF-8).
        file: std::path::PathBuf,
        /// Check every row and print the report; store nothing.
        #[arg(long)]
        dry_run: bool,
    },
}

#[derive(Subcommand)]
enum UserCommand {
    /// Create a staff account; the password is read from the first line of standard input.
    Add {
        username: String,
        #[arg(long)]
        display_name: String,
        /// team_lead, psychiatrist, nurse, case_manager, social_worker, peer_specialist,
        /// substance_use_specialist, employment_specialist, housing_specialist, other
        #[arg(long, default_value = "other")]
        discipline: String,
        /// Make the account an administrator (creates teams and staff).
        #[arg(long)]
        admin: bool,
        /// Read the password from standard input (required: passwords never go on the command line).
        #[arg(long, required = true)]
        password_stdin: bool,
    },
}

pub fn main() -> ExitCode {
    let cli = Cli::parse();
    init_tracing();
    let config = match cli.config.validate() {
        Ok(c) => c,
        Err(msg) => {
            eprintln!("actboard: {msg}");
            return ExitCode::from(2);
        }
    };
    let result = match cli.command {
        Command::Serve => serve(config),
        Command::Migrate => migrate(&config),
        Command::Demo { seed, weeks } => demo_cmd(&config, seed, weeks),
        Command::Backup { out } => backup(&config, &out),
        Command::Openapi => {
            println!("{}", server::openapi_text());
            Ok(())
        }
        Command::User {
            command:
                UserCommand::Add {
                    username,
                    display_name,
                    discipline,
                    admin,
                    password_stdin: _,
                },
        } => user_add(&config, username, display_name, discipline, admin),
        Command::Import { command } => return import_cmd(&config, command),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(msg) => {
            eprintln!("actboard: {msg}");
            ExitCode::FAILURE
        }
    }
}

fn init_tracing() {
    let filter = tracing_subscriber::EnvFilter::try_from_env("ACTBOARD_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,actix_server=warn"));
    let json = std::env::var("ACTBOARD_LOG_FORMAT")
        .map(|v| v == "json")
        .unwrap_or(false);
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    let _ = if json {
        builder.json().try_init()
    } else {
        builder.try_init()
    };
}

fn open(config: &Config) -> Result<db::PooledConn, String> {
    db::open_migrated(&config.database, 2).map(|(_, conn, _)| conn)
}

fn serve(config: Config) -> Result<(), String> {
    let instance = config.instance_id.clone();
    let engine = config.database.engine();
    let open_files = server::raise_open_files_limit();
    let state = server::prepare(config)?;
    if let Some(n) = open_files.filter(|n| *n < 4096) {
        tracing::warn!(open_files = n, "the open-files limit allows only about this many live connections; raise it (ulimit -n, LimitNOFILE=)");
    }
    actix_web::rt::System::new().block_on(async move {
        let hub = state.hub.clone();
        let running = server::start(state)?;
        actix_web::rt::spawn(server::shutdown_on_signal(running.server.handle(), hub));
        tracing::info!(instance = %instance, ?engine, addr = %running.addr, "actboard serving");
        println!(
            "actboard is serving on http://{} (instance {instance}, {engine:?})",
            running.addr
        );
        println!("  web app:  http://{}/", running.addr);
        println!("  API docs: http://{}/api/docs", running.addr);
        running
            .server
            .await
            .map_err(|e| format!("server stopped: {e}"))
    })
}

fn migrate(config: &Config) -> Result<(), String> {
    let (_, _, n) = db::open_migrated(&config.database, 1)?;
    println!(
        "{} migration(s) applied to {}",
        n,
        db::describe(&config.database)
    );
    Ok(())
}

fn backup(config: &Config, out: &std::path::Path) -> Result<(), String> {
    let r = db::backup::backup(&config.database, out)?;
    println!(
        "backup written to {} ({} bytes, {} events, integrity ok)",
        r.path.display(),
        r.bytes,
        r.events
    );
    Ok(())
}

fn demo_cmd(config: &Config, seed: u64, weeks: u32) -> Result<(), String> {
    let mut conn = open(config)?;
    match demo::load(&mut conn, demo::Options { seed, weeks }).map_err(|e| e.to_string())? {
        demo::Outcome::Loaded(summary) => println!("{summary}"),
        demo::Outcome::Skipped(why) => println!("{why}"),
    }
    Ok(())
}

fn user_add(
    config: &Config,
    username: String,
    display_name: String,
    discipline: String,
    admin: bool,
) -> Result<(), String> {
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .map_err(|e| format!("cannot read the password: {e}"))?;
    let password = line.trim_end_matches(['\n', '\r']).to_string();
    let mut conn = open(config)?;
    let row = crate::store::staff::insert_staff(
        &mut conn,
        crate::store::staff::NewStaff {
            username,
            display_name,
            discipline,
            password,
            is_admin: admin,
            must_change_password: false,
        },
    )
    .map_err(|e| match e {
        crate::error::AppError::Validation { detail, .. } => detail,
        other => other.to_string(),
    })?;
    println!(
        "created {} ({}){}",
        row.username,
        row.id,
        if row.is_admin { ", admin" } else { "" }
    );
    Ok(())
}

/// `actboard import …`: the same use cases and report as the API, in one transaction, with a
/// progress bar on a terminal. Exit 0 when every row is fine, 1 when a row fails (nothing is
/// stored), 2 for an unreadable file or an unknown team.
fn import_cmd(config: &Config, command: ImportCommand) -> ExitCode {
    use crate::store::import;
    let (file, dry_run) = match &command {
        ImportCommand::Clients { file, dry_run, .. } | ImportCommand::Staff { file, dry_run } => {
            (file.clone(), *dry_run)
        }
    };
    let bytes = match std::fs::read(&file) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("actboard: cannot read {}: {e}", file.display());
            return ExitCode::from(2);
        }
    };
    let mut conn = match open(config) {
        Ok(c) => c,
        Err(msg) => {
            eprintln!("actboard: {msg}");
            return ExitCode::from(2);
        }
    };
    let bar =
        indicatif::ProgressBar::with_draw_target(Some(0), indicatif::ProgressDrawTarget::stderr());
    bar.set_style(
        indicatif::ProgressStyle::with_template("{msg:>9} [{bar:40}] {pos}/{len} rows")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar())
            .progress_chars("=> "),
    );
    let mut progress = |what: &str, done: u64, of: u64| {
        bar.set_message(what.to_string());
        bar.set_length(of);
        bar.set_position(done);
    };
    let result = match command {
        ImportCommand::Clients { team, .. } => import::in_transaction(
            &mut conn,
            |r| import::keeps(r, dry_run),
            |c| import::import_clients_in(c, &team, &bytes, dry_run, None, &mut progress),
        ),
        ImportCommand::Staff { .. } => import::in_transaction(
            &mut conn,
            |r| import::keeps(r, dry_run),
            |c| import::import_staff_in(c, &bytes, None, &mut progress),
        ),
    };
    bar.finish_and_clear();
    let report = match result {
        Ok(r) => r,
        Err(e) => {
            eprintln!("actboard: {e}");
            return ExitCode::from(2);
        }
    };
    print!("{}", report_text(&report, dry_run));
    if report.failed > 0 {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

/// The report for a terminal: the failed rows as a table, then the counts and what happened.
fn report_text(r: &crate::store::import::ImportReport, dry_run: bool) -> String {
    use crate::store::import::RowAction;
    use std::fmt::Write;
    let mut out = String::new();
    let failed: Vec<_> = r
        .rows
        .iter()
        .filter(|x| x.action == RowAction::Error)
        .collect();
    if !failed.is_empty() {
        let key_width = failed
            .iter()
            .map(|x| x.key.chars().count())
            .max()
            .unwrap_or(0)
            .max(3);
        let _ = writeln!(out, "{:>6}  {:<key_width$}  problem", "line", "key");
        for row in failed {
            for (i, e) in row.errors.iter().enumerate() {
                let (line, key) = if i == 0 {
                    (row.line.to_string(), row.key.as_str())
                } else {
                    (String::new(), "")
                };
                let _ = writeln!(
                    out,
                    "{line:>6}  {key:<key_width$}  {}: {}",
                    e.field, e.message
                );
            }
        }
        out.push('\n');
    }
    let (created, updated) = if dry_run || r.failed > 0 {
        ("to create", "to update")
    } else {
        ("created", "updated")
    };
    let _ = writeln!(
        out,
        "{} rows: {} {created}, {} {updated}, {} unchanged, {} with errors",
        r.rows.len(),
        r.created,
        r.updated,
        r.unchanged,
        r.failed
    );
    let _ = writeln!(
        out,
        "{}",
        if r.failed > 0 {
            "Nothing was imported: correct the rows above and run the import again."
        } else if dry_run {
            "Dry run: nothing was stored. Run again without --dry-run to import."
        } else {
            "Imported."
        }
    );
    if let Some(n) = &r.notice {
        let _ = writeln!(out, "{n}");
    }
    out
}
