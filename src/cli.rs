//! The command line: serve, migrate, backup, demo, openapi, user add.

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
