//! `actboard-bench report` (what `make bench` runs): the standard round — board snapshot,
//! live delivery at 1,000, 5,000 and 10,000 sockets on both engines beside the Node `ws` baseline,
//! idle memory per connection, contact writes and replay — written to docs/BENCHMARKS.md.

use crate::bench_import::ImportResult;
use crate::results::{BoardResult, IdleResult, LiveResult, Workload, WritesResult};
use crate::{bench_baseline, bench_board, bench_import, bench_live, runtime};
use std::fmt::Write as _;
use std::path::Path;

const SOCKETS: [usize; 3] = [1000, 5000, 10_000];
const TEAMS: usize = 50;
const RATE: u32 = 200;

pub fn run(postgres: &str, out: &Path, seconds: u64, idle_sockets: usize) {
    let started = chrono::Local::now();
    let load_before = loadavg();
    let boards = [
        bench_board::run("sqlite", 104, 300, true),
        bench_board::run(postgres, 104, 300, true),
    ];
    let rt = runtime();
    let mut live: Vec<LiveResult> = vec![];
    for sockets in SOCKETS {
        let w = Workload {
            sockets,
            teams: TEAMS,
            rate: RATE,
            seconds,
        };
        for database in ["sqlite", postgres] {
            let r = rt.block_on(bench_live::round(database, w));
            println!("{}", r.row());
            live.push(r);
        }
        let r = rt.block_on(bench_baseline::live(w));
        println!("{}", r.row());
        live.push(r);
    }
    let idle = [
        rt.block_on(bench_live::idle("sqlite", idle_sockets)),
        rt.block_on(bench_baseline::idle(idle_sockets)),
    ];
    idle.iter().for_each(|i| println!("{}", i.line()));
    let writes = [
        rt.block_on(bench_live::writes_and_replay("sqlite", 16, 20, 1000)),
        rt.block_on(bench_live::writes_and_replay(postgres, 16, 20, 1000)),
    ];
    writes.iter().for_each(|w| println!("{}", w.line()));
    let imports = [
        bench_import::run("sqlite", 10_000),
        bench_import::run(postgres, 10_000),
    ];
    imports.iter().for_each(|i| println!("{}", i.row()));
    let finished = chrono::Local::now();
    let doc = render(&Run {
        postgres,
        started,
        finished,
        load_before,
        load_after: loadavg(),
        machine: machine(postgres),
        seconds,
        boards: &boards,
        live: &live,
        idle: &idle,
        writes: &writes,
        imports: &imports,
    });
    std::fs::write(out, doc).expect("write the report");
    println!("written to {}", out.display());
}

struct Run<'a> {
    postgres: &'a str,
    started: chrono::DateTime<chrono::Local>,
    finished: chrono::DateTime<chrono::Local>,
    load_before: String,
    load_after: String,
    machine: String,
    seconds: u64,
    boards: &'a [BoardResult],
    live: &'a [LiveResult],
    idle: &'a [IdleResult],
    writes: &'a [WritesResult],
    imports: &'a [ImportResult],
}

fn loadavg() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|l| l.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_default()
}

fn command_version(cmd: &str, arg: &str) -> String {
    std::process::Command::new(cmd)
        .arg(arg)
        .output()
        .ok()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .unwrap_or_else(|| "unknown".into())
}

fn machine(postgres: &str) -> String {
    let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let cpu = cpuinfo
        .lines()
        .find(|l| l.starts_with("model name"))
        .and_then(|l| l.split_once(':'))
        .map(|(_, v)| v.trim().to_string())
        .unwrap_or_else(|| "unknown CPU".into());
    let cores = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(0);
    let mem_gib = std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|m| {
            m.lines()
                .next()
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|v| v.parse::<f64>().ok())
        })
        .map(|kb| kb / 1024.0 / 1024.0)
        .unwrap_or(0.0);
    let kernel = std::fs::read_to_string("/proc/sys/kernel/osrelease").unwrap_or_default();
    let debian = std::fs::read_to_string("/etc/debian_version").unwrap_or_default();
    let pg = {
        use diesel::prelude::*;
        diesel::PgConnection::establish(postgres)
            .ok()
            .and_then(|mut c| {
                diesel::select(diesel::dsl::sql::<diesel::sql_types::Text>(
                    "current_setting('server_version')",
                ))
                .get_result::<String>(&mut c)
                .ok()
            })
            .unwrap_or_else(|| "unknown".into())
    };
    format!(
        "{cores} cores ({cpu}), {mem_gib:.0} GiB RAM, Linux {}, Debian {}; {}; Node {}; PostgreSQL {pg} on the same machine (127.0.0.1)",
        kernel.trim(),
        debian.trim(),
        command_version("rustc", "--version"),
        command_version("node", "--version"),
    )
}

fn ratio(a: f64, b: f64) -> String {
    if b > 0.0 {
        format!("{:.1}×", a / b)
    } else {
        "–".into()
    }
}

fn render(r: &Run) -> String {
    let mut d = String::new();
    let w = &mut d;
    let _ = writeln!(w, "# Benchmarks\n");
    let _ = writeln!(w, "<!-- Written by `make bench` (actboard-bench report); edit bench/src/report.rs, not this file. -->\n");
    let _ = writeln!(
        w,
        "- **Run:** {} to {} (load average {} before, {} after).",
        r.started.format("%Y-%m-%d %H:%M %Z"),
        r.finished.format("%H:%M %Z"),
        r.load_before,
        r.load_after
    );
    let _ = writeln!(w, "- **Machine:** {}.", r.machine);
    let _ = writeln!(w, "- **Command:** `make bench`, which builds the web app, the release server (`cargo build --release`) and the bench, a separate package of the workspace (`cargo build --release -p actboard-bench`, sources in `bench/src/`), installs the baseline (`npm ci --prefix bench/baseline`) and runs `./target/release/actboard-bench report --postgres {} --out docs/BENCHMARKS.md`. Each part can be run alone: `actboard-bench --help`.", r.postgres);
    let _ = writeln!(w, "- The load generator runs on the same cores as the server it measures, and the machine may be shared: treat tails (p99, max) as upper bounds and compare figures taken in the same run.\n");

    let _ = writeln!(
        w,
        "## Board snapshot: the demo ACT team with two years of history\n"
    );
    let _ = writeln!(w, "The demo (Riverside ACT: 100 clients, 12 staff) is loaded with {} weeks of contacts at ACT intensity into a fresh database through the same write functions as the API. Then the board is (a) built and serialized in-process — the server's own time — and (b) fetched with `GET /api/teams/{{id}}/board` over HTTP through the real server (auth, routing, JSON), 300 times each after 10 warm-up rounds. Aim: a median under 10 ms.\n", r.boards.first().map(|b| b.weeks).unwrap_or(104));
    let _ = writeln!(w, "| engine | contacts | demo load | board JSON | what | median | p95 | p99 | max |\n|---|---|---|---|---|---|---|---|---|");
    for b in r.boards {
        let _ = writeln!(
            w,
            "| {} | {} | {:.1} s | {} KB | build + serialize | {} |",
            b.label,
            b.contacts,
            b.load_s,
            b.json_kb,
            b.in_process.cells()
        );
        let _ = writeln!(
            w,
            "| {} | | | | GET over HTTP | {} |",
            b.label,
            b.over_http.cells()
        );
    }
    let _ = writeln!(w, "\nThe board takes about a dozen queries whatever the roster size (none per client); \"last contact\" is one index seek per client on `contacts (team_id, client_id, status, occurred_at)`.\n");
    let _ = writeln!(w, "## Outcomes and fidelity pages: the same team\n");
    let _ = writeln!(w, "On the same server and demo, each request is timed 100 times after 10 warm-up rounds (`actboard-bench outcomes` runs this part alone): `GET /api/teams/{{id}}/fidelity` (the DACTS report of the last 4 weeks and of the month before, for the items slipping), `GET …/fidelity?months=12` (the fidelity page: every month of a 12-month trend, computed in memory from one read of 13 months of contacts, reviews and enrolments) and `GET …/outcomes` (every enrolled client's 12- and 24-month windows before and after enrolment from their episodes). Aim: under 200 ms.\n");
    let _ = writeln!(
        w,
        "| engine | request | median | p95 | p99 | max |\n|---|---|---|---|---|---|"
    );
    for b in r.boards {
        for (what, t) in [
            ("GET /fidelity", &b.fidelity),
            ("GET /fidelity?months=12", &b.fidelity_trend),
            ("GET /outcomes", &b.outcomes),
        ] {
            let _ = writeln!(w, "| {} | {} | {} |", b.label, what, t.cells());
        }
    }
    let _ = writeln!(w, "\nThe fidelity page asks for the report first (`GET /fidelity`) and the 12-month trend after it, so the page shows its figures in the first request's time.\n");

    let _ = writeln!(
        w,
        "## Live delivery: actboard beside a bare Node `ws` relay\n"
    );
    let _ = writeln!(w, "Each round starts the server as a child process on a fresh database (the relay: `node bench/baseline/relay.js`), creates {TEAMS} teams through the API, connects S websocket subscribers spread evenly over them (each waits for its snapshot), then raises {RATE} crisis flags per second over HTTP for {} s, round-robin over the teams. Latency runs from the event's `at` (stamped in the writing transaction, just before its commit) to the moment a subscriber parsed the frame (same clock). CPU seconds and peak RSS are the server process's, from `/proc`; **load generator CPU s** is the bench process's own (all subscribers and writers) over the same interval: near 2 × the round's length it is saturated, and the latencies then include its queueing. **Not exactly-once** counts subscribers that did not receive exactly their team's events, each once — for actboard also in `seq` order, continuing from the snapshot.\n", r.seconds);
    let _ = writeln!(w, "The **baseline** is the floor of what delivery costs: a relay on Node's `ws` package (`bench/baseline/relay.js`) with no auth, no storage, no ordering and no replay. The bench POSTs it the same frames (byte for byte the shape of actboard's `flag.raised` event; the relay stamps `at` when the POST arrives) at the same rate, to the same number of sockets, in the same run.\n");
    let _ = writeln!(w, "{}", LiveResult::HEADER);
    for l in r.live {
        let _ = writeln!(w, "{}", l.row());
    }
    let _ = writeln!(w, "\n**Ratios to the baseline** (actboard ÷ Node `ws` relay; 1.0× would mean delivery costs actboard no more than the bare relay):\n");
    let idle_ratio = match r.idle {
        [a, b] => ratio(a.per_connection_kb(), b.per_connection_kb()),
        _ => "–".into(),
    };
    let _ = writeln!(w, "| sockets | engine | latency p50 | latency p99 | CPU per delivery | peak RSS | idle RSS per socket |\n|---|---|---|---|---|---|---|");
    for sockets in SOCKETS {
        let base = r
            .live
            .iter()
            .find(|l| l.sockets == sockets && l.label.starts_with("Node"));
        for l in r
            .live
            .iter()
            .filter(|l| l.sockets == sockets && !l.label.starts_with("Node"))
        {
            if let Some(b) = base {
                let _ = writeln!(
                    w,
                    "| {sockets} | {} | {} | {} | {} | {} | {idle_ratio} |",
                    l.label,
                    ratio(l.p50, b.p50),
                    ratio(l.p99, b.p99),
                    ratio(l.cpu_us_per_delivery(), b.cpu_us_per_delivery()),
                    ratio(l.peak_rss_mb as f64, b.peak_rss_mb as f64)
                );
            }
        }
    }
    let _ = writeln!(w, "\nWhat actboard pays for beyond the relay: the write itself (a transaction that locks the team row and appends to the event log), reading each committed event back from the log before fanning it out (so a lost wake-up can never lose an event), per-socket ordering and authentication, and JSON built per team rather than passed through. The aim for the live board is a p99 under 50 ms at 1,000 sockets.\n");

    let _ = writeln!(w, "## Idle connections: memory per socket\n");
    let _ = writeln!(w, "N sockets connect and stay idle (actboard: authenticated, each received its snapshot, spread over 10 teams); the server's RSS before and after, from `/proc`.\n");
    let _ = writeln!(
        w,
        "| server | sockets | RSS before | RSS after | per connection |\n|---|---|---|---|---|"
    );
    for i in r.idle {
        let _ = writeln!(
            w,
            "| {} | {} | {} MB | {} MB | {:.1} KB |",
            i.label,
            i.sockets,
            i.rss_before_kb / 1024,
            i.rss_after_kb / 1024,
            i.per_connection_kb()
        );
    }
    if let [a, b] = r.idle {
        let _ = writeln!(
            w,
            "\nRatio: actboard uses {} the relay's memory per idle connection.\n",
            ratio(a.per_connection_kb(), b.per_connection_kb())
        );
    }

    let _ = writeln!(w, "## Contact writes and replay\n");
    let _ = writeln!(w, "16 concurrent writers (each the lead of its own team) `PUT` new contacts through the API for 20 s. Then a websocket client of the first team connects with `since` exactly 1,000 events back, and we time connect → last event.\n");
    let _ = writeln!(w, "| engine | writers | contacts written | writes/s | write p50 | write p99 | replay |\n|---|---|---|---|---|---|---|");
    for x in r.writes {
        let _ = writeln!(
            w,
            "| {} | {} | {} | {:.0} | {:.1} ms | {:.1} ms | {} events in {:.1} ms |",
            x.label,
            x.writers,
            x.written,
            x.per_s(),
            x.write_p50,
            x.write_p99,
            x.replayed,
            x.replay_ms
        );
    }
    let _ = writeln!(w, "\nOn SQLite every write joins the writer thread's next group commit (one `BEGIN IMMEDIATE … COMMIT` for up to 64 queued writes, each in a savepoint of its own, each answered after the commit); PostgreSQL serializes writers per team only.\n");

    let _ = writeln!(w, "## CSV import\n");
    let _ = writeln!(w, "{}", IMPORT_TEXT);
    let _ = writeln!(w, "{}", ImportResult::HEADER);
    for x in r.imports {
        let _ = writeln!(w, "{}", x.row());
    }
    let _ = writeln!(w, "\n{}\n", IMPORT_NOTE);

    let _ = writeln!(w, "{}", PROFILE_NOTE);
    let _ = writeln!(w, "## From the test suite\n");
    let _ = writeln!(w, "- **Cross-instance latency** (PostgreSQL, two server instances) is not measured here: `ACTBOARD_TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres cargo nextest run -E 'test(two_instances) & test(postgres)' --no-capture` prints it (the write on instance A to a socket on instance B, and B's catch-up after its LISTEN connection is killed).");
    let budget = std::fs::read_to_string("docs/e2e-budget.txt").unwrap_or_default();
    let _ = writeln!(w, "- **Web app budget** (`cd frontend && npm run e2e`, as last kept in `docs/e2e-budget.txt` by `make docs-e2e`):\n\n```\n{}\n```", budget.trim());
    d
}

/// The CSV import section's text (also what `make bench-import` measures alone).
pub const IMPORT_TEXT: &str = "A generated file of 10,000 clients (every third active with one of 250 case managers, 12 each; the rest referred or in screening) is imported into a new ICM team (cap 15) on a fresh database, through the use cases `actboard import` and `POST /api/teams/{id}/import/clients` run (`store::import`), in one transaction each: first the 250 case managers from a staff file, then the clients' dry run (every row checked, the caps counted, nothing written), the import (batched inserts of 500 rows and one `clients.imported` event), and the same file again (every row unchanged, nothing written). Run alone with `make bench-import` (release build).\n";
pub const IMPORT_NOTE: &str = "Every row is checked against data read once (the team's clients by external id, the named staff and the team's members, the case managers' caseloads in one grouped query); the import locks the team and each case manager's staff row (in id order) as every other assignment does. The staff import sets memberships one row at a time through the same rule as the API (`members::set_role`), which is why 250 staff rows take longer per row than clients.";

/// Issue 16's hand-written findings (profiles and per-component memory), kept here so that
/// `make bench` writes them again with the fresh tables. Update it with a new profile.
pub const PROFILE_NOTE: &str = r#"## Where the time and memory go (issue 16: profiles, single rounds)

Measured 2026-12-01 06:35–07:04 UTC on the same 2-core machine while three other engineers compiled Rust on it (load averages 5–15, given per row), so only figures taken within minutes of each other are compared, and CPU per delivery rather than latency. Commands: `actboard-bench live --sockets S --teams 50 --rate 200 --seconds 40` with `perf record -F 499 --call-graph dwarf -p <server pid> -- sleep 15` attached once the writes were under way (software clock sampling: the kernel's perf events are allowed in this container; hardware counters are not), `perf script | inferno-collapse-perf | inferno-flamegraph`; "before" is commit 3bd2878's release binary, "after" this branch's.

**Flame graphs** of the 1,000-socket round: [before](flamegraph-1000-before.svg), [after](flamegraph-1000-after.svg). CPU per delivery, split by the frames on the stack (µs per delivery = samples ÷ 60,000 deliveries in the 15 s window):

| part of the server (1,000 sockets, SQLite) | before | after: shared frames, persistent waits | after: + regex router |
|---|---|---|---|
| the flag write request: auth (session lookup, JWT), access check, the insert, the event append, SQLite | 35.9 | 36.2 | 36.5 |
| kernel TCP send to the subscribers (`send`/`write` syscalls; loopback also runs the receiver's side) | 12.2 | 11.3 | 11.9 |
| route matching (`actix_router::ResourceDef::capture_match_info_fn`: `regex_lite` PikeVM, then `regex`) | 6.0 | 4.9 | 3.4 |
| the rest of the HTTP/1 dispatcher (request parsing, response) | 4.3 | 3.8 | 4.3 |
| the socket task (`live::socket::serve`: queue, metrics, `Session::text`) | 3.2 | 2.3 | 2.6 |
| the hub (`live::hub`: read-back, encode, `try_push` into every outbox) | 2.6 | 2.2 | 2.5 |
| websocket encoding (`actix_ws` `StreamingBody`) | 0.5 | 0.5 | 0.5 |
| everything else (scheduler, epoll, malloc outside the above) | 8.4 | 7.4 | 6.8 |
| **whole server, from /proc over the 40 s round** (load average) | **82.4** (4.9–5.6) | **82.6** (5.6–5.8) | **77.2** (7.2–11.2) |

At 5,000 sockets (30 s rounds) the whole server was 38.2 µs per delivery before and 39.4 after in one pair (load 8.4–10.0; p99 264 and 1,046 ms), 34.6 before and 34.8 after in a second pair run the other way round (load 7.7–9.8; p99 203 and 45 ms) — the same CPU, and tails that follow the machine's other load, not the binary. In the profiled 35 s round (35.0 µs per delivery) the kernel's TCP send is then 35 % of the server's CPU, the write requests 32 %, the socket tasks 9.5 %, the hub 3.9 %, route matching 5 %.

**10,000 sockets** (one 20 s round each, `actboard-bench live --sockets 10000 --seconds 20` and `baseline-live`, load 8.1–12.8): actboard delivered every event exactly once and in order (800,000 deliveries, 0 not exactly-once) at 36.1 µs of server CPU per delivery, the relay at 12.6 µs (2.9×); p99 941.8 ms against 426.2 ms, with the load generator itself using 15.9 and 12.2 CPU seconds, i.e. the 2 shared cores saturated: those latencies measure the machine, not the servers.

**What limits it.** At 1,000 sockets each flag reaches 20 subscribers, so the write request itself — which the relay does not have: session lookup (7 % of the CPU), access check (6 %), the flag insert, event append and read-back on SQLite (24 %) — is half of actboard's CPU per delivery, and the kernel's TCP send is the next largest part, which the relay pays as well. The fan-out that issue 16 is about (hub + socket task + websocket encoding) is about 5.5 µs per delivery, 7 % of the total; making it free would not bring the 1,000-socket ratio near 1.0×. Reaching the relay there needs a cheaper write request (caching the session check within its revocation signal, fewer statements per flag) and, at 5,000 and 10,000 sockets, fewer wake-ups and copies per delivery in actix-http (below).

**Idle memory per authenticated socket** (heap at the peak with 3,000 idle sockets, `heaptrack` with `DUMP_HEAPTRACK_OUTPUT` preloaded into the release server, `actboard-bench idle --sockets 3000`):

| component | bytes per socket | whose |
|---|---|---|
| HTTP/1 dispatcher read buffer + write buffer (`actix_http::h1::dispatcher`, `HW_BUFFER_SIZE` = 8 KiB each, a constant) | 16,400 | actix-http |
| the connection's dispatcher task | 1,530 | actix-server |
| `actix_ws` outgoing message channel (tokio mpsc, 32 slots) and its `PollSender` | 1,990 | actix-ws |
| websocket read buffer (`MessageStream`) and payload | 450 | actix-ws / actix-http |
| graceful-shutdown signal per connection | 180 | actix-http |
| the live connection's task (`live::socket::run`: the state of its loop; snapshot, replay, renewal and recheck are boxed, on the heap only while they run) | 2,170 | actboard |
| its outbox (one shared state + an unbounded queue whose 32 slots are one pointer each) | 800 | actboard |
| heartbeat timer, hub subscription entry, presence label | 300 | actboard |
| **total heap** | **≈ 23,800** | actboard's own part ≈ 3,300 |

RSS grows less than the heap (untouched pages of the buffers): 20.0 KB per socket before and 18.4 KB after (3,000 sockets, load 7.0–7.8; the report's 10,000-socket round above is the reference). Preloading mimalloc instead of glibc's allocator gave 18.0 KB: not adopted. The ≤ 8 KB target is out of reach inside actix-web: 20 KB of each socket belong to actix-http's connection (two fixed 8 KiB buffers) and actix-ws's channel, none of it configurable; it would take serving upgraded websockets on our own codec over the raw TCP stream (a 1–2 KB read buffer, frames written straight from the shared `Frame`), which is also what would remove the per-delivery copy into the dispatcher's write buffer.

**Contact writes, 16 writers** (`actboard-bench writes --seconds 15`): SQLite 776 writes/s (p99 236.7 ms; load 11.9–14.9) before, 913 writes/s (p99 235.0 ms; load 11.2–11.9) after; PostgreSQL 430 writes/s (p99 159.8 ms; load 11.2–11.9) after. Two changes came after that round (`actboard-bench writes --seconds 20`, each binary run alternately on one machine, 2 cores):

| change | SQLite writes/s (p99) | PostgreSQL writes/s (p99) |
|---|---|---|
| before group commit | 1,231 and 1,214 (181.6, 182.2 ms) | — |
| group commit (`src/db/writer.rs`) | 1,879 and 1,850 (19.9, 19.7 ms) | — |
| on a slower machine, group commit alone | 1,245 (29.3 ms) | 490 and 615 (71.7, 59.2 ms) |
| + fewer round trips per write | 1,523 (24.9 ms) | 756 and 794 (51.5, 47.3 ms) |

*Group commit*: SQLite's busy handler sleeps and polls (1, 2, 5, … 100 ms) while another connection holds the write lock, so with 16 writers the lock sat idle between holders and the tail reached 180 ms. One writer thread now takes every queued write into one transaction, each in its own savepoint (a write that fails is rolled back alone), answers each only after the COMMIT and announces its events after it. *Round trips*: a contact PUT went from 24 statements (counting BEGIN and COMMIT) to 16 — the team row is read under its lock in one statement (`SELECT … FOR NO KEY UPDATE` on PostgreSQL, the same row lock as before), the next seq comes from `UPDATE … RETURNING`, the new contact from `INSERT … RETURNING` with its staff in one `INSERT`, and the client and staff are checked once, not twice. What is left on PostgreSQL (16 writers on 16 teams, so no lock waits) is CPU on the 2 shared cores: the load generator, the server and PostgreSQL; two of the 16 statements are r2d2's `SELECT 1` check on checkout (kept: it is what makes a restarted PostgreSQL invisible to users) and one is the session lookup of the bearer token.
"#;
