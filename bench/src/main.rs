//! actboard-bench: measurements that go into docs/BENCHMARKS.md.
//!
//! `actboard-bench report` (what `make bench` runs) runs the standard round and writes
//! docs/BENCHMARKS.md; the other subcommands run one part each.
//!
//! `actboard-bench board [--database URL] [--weeks 104] [--iterations 300]`
//! loads the demo with two years of history into a fresh database (a temporary SQLite file,
//! or a new database on the PostgreSQL server named by the URL) and times the board of the
//! Riverside ACT team: built in-process (server time) and fetched over HTTP.
//!
//! `actboard-bench outcomes [--database URL] [--weeks 104] [--iterations 90]` does the same
//! set-up and times only the team's outcome and fidelity requests over HTTP (issue 15).
//!
//! `actboard-bench import [--rows 10000] [--postgres URL]` imports a generated CSV file of
//! clients into a new ICM team on SQLite (and PostgreSQL) and prints the dry-run and import
//! times (`make bench-import`).
//!
//! `live` / `idle` measure live delivery against an `actboard serve` child process;
//! `baseline-live` / `baseline-idle` run the same workload against a bare Node `ws` relay
//! (bench/baseline/relay.js; run `npm ci --prefix bench/baseline` once, and run from the
//! repository root or set ACTBOARD_BENCH_RELAY to the relay's path).

use clap::{Parser, Subcommand};

mod bench_baseline;
mod bench_board;
mod bench_import;
mod bench_live;
mod common;
mod report;
mod results;

use results::{LiveResult, Workload};

#[derive(Parser)]
#[command(name = "actboard-bench", about = "actboard benchmarks")]
struct Cli {
    #[command(subcommand)]
    command: Cmd,
}

#[derive(Subcommand)]
enum Cmd {
    /// Board snapshot time for the demo ACT team with long history.
    Board {
        /// sqlite (temporary file) or a postgres:// URL of a server to create a database on.
        #[arg(long, default_value = "sqlite")]
        database: String,
        #[arg(long, default_value_t = 104)]
        weeks: u32,
        #[arg(long, default_value_t = 300)]
        iterations: usize,
    },
    /// The outcome and fidelity pages (issue 15) of the demo ACT team with long history, over
    /// HTTP: `GET /fidelity`, `GET /fidelity?months=12`, `GET /outcomes` (aim: under 200 ms).
    Outcomes {
        /// sqlite (temporary file) or a postgres:// URL of a server to create a database on.
        #[arg(long, default_value = "sqlite")]
        database: String,
        #[arg(long, default_value_t = 104)]
        weeks: u32,
        #[arg(long, default_value_t = 90)]
        iterations: usize,
    },
    /// Live delivery: S websocket subscribers over T teams, W flag writes/s for D seconds.
    Live {
        #[arg(long, default_value = "sqlite")]
        database: String,
        #[command(flatten)]
        workload: Workload,
    },
    /// Contact writes/s with concurrent writers, then the replay time of a client resuming behind.
    Writes {
        #[arg(long, default_value = "sqlite")]
        database: String,
        #[arg(long, default_value_t = 16)]
        writers: usize,
        #[arg(long, default_value_t = 20)]
        seconds: u64,
        #[arg(long, default_value_t = 1000)]
        behind: i64,
    },
    /// Idle authenticated sockets: server memory per connection.
    Idle {
        #[arg(long, default_value = "sqlite")]
        database: String,
        #[arg(long, default_value_t = 2000)]
        sockets: usize,
    },
    /// The `live` workload against a bare Node `ws` relay: the floor of delivery cost.
    BaselineLive {
        #[command(flatten)]
        workload: Workload,
    },
    /// The standard round (every measurement above, actboard on SQLite and PostgreSQL and the
    /// Node baseline), written to docs/BENCHMARKS.md.
    Report {
        /// A PostgreSQL server to create the bench databases on.
        #[arg(long, default_value = "postgres://postgres@127.0.0.1:5432/postgres")]
        postgres: String,
        #[arg(long, default_value = "docs/BENCHMARKS.md")]
        out: std::path::PathBuf,
        /// Length of each live round.
        #[arg(long, default_value_t = 60)]
        seconds: u64,
        #[arg(long, default_value_t = 10_000)]
        idle_sockets: usize,
    },
    /// CSV import: N generated clients into a new ICM team (dry run, import, the same file
    /// again) on SQLite, and on PostgreSQL when a server is named.
    Import {
        #[arg(long, default_value_t = 10_000)]
        rows: usize,
        /// A PostgreSQL server to create the bench database on (omit: SQLite only).
        #[arg(long)]
        postgres: Option<String>,
    },
    /// Idle sockets on the Node `ws` relay: its memory per connection.
    BaselineIdle {
        #[arg(long, default_value_t = 2000)]
        sockets: usize,
    },
}

fn print_live(r: &LiveResult) {
    println!("{}", LiveResult::HEADER);
    println!("{}", r.row());
    println!(
        "<!-- connect time {:.1}s, {} deliveries -->",
        r.connect_s, r.deliveries
    );
}

pub fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap()
}

fn main() {
    let cli = Cli::parse();
    // Thousands of sockets are thousands of open files (10,000 in the idle round).
    actboard::server::raise_open_files_limit();
    match cli.command {
        Cmd::Board {
            database,
            weeks,
            iterations,
        } => {
            bench_board::run(&database, weeks, iterations, true);
        }
        Cmd::Outcomes {
            database,
            weeks,
            iterations,
        } => {
            bench_board::run(&database, weeks, iterations, false);
        }
        Cmd::Live { database, workload } => {
            print_live(&runtime().block_on(bench_live::round(&database, workload)));
        }
        Cmd::Writes {
            database,
            writers,
            seconds,
            behind,
        } => {
            println!(
                "{}",
                runtime()
                    .block_on(bench_live::writes_and_replay(
                        &database, writers, seconds, behind
                    ))
                    .line()
            );
        }
        Cmd::Idle { database, sockets } => {
            println!(
                "{}",
                runtime()
                    .block_on(bench_live::idle(&database, sockets))
                    .line()
            );
        }
        Cmd::BaselineLive { workload } => {
            print_live(&runtime().block_on(bench_baseline::live(workload)));
        }
        Cmd::BaselineIdle { sockets } => {
            println!(
                "{}",
                runtime().block_on(bench_baseline::idle(sockets)).line()
            );
        }
        Cmd::Import { rows, postgres } => {
            println!("{}", bench_import::ImportResult::HEADER);
            println!("{}", bench_import::run("sqlite", rows).row());
            if let Some(url) = postgres {
                println!("{}", bench_import::run(&url, rows).row());
            }
        }
        Cmd::Report {
            postgres,
            out,
            seconds,
            idle_sockets,
        } => report::run(&postgres, &out, seconds, idle_sockets),
    }
}
