#!/usr/bin/env bash
# The performance benchmark: `leads` against the sqlite3 shell on generated data.
#
#   bash benches/bench.sh [ROWS]          # default 1000000 rows (about 200 MB of CSV)
#   SMOKE=1 bash benches/bench.sh         # 1,000 rows, one run each: checks the script works
#
# Environment: RUNS (rounds for the slow figures, default 5), QUICK_RUNS (rounds for the
# figures of a few milliseconds, default 21), SEED (data, default 42), ACTIVITIES (how many
# activities to log on open leads, default 100000), FOLLOW_UPS (how many
# follow-ups to schedule, default 1000, 5% of them overdue), ENROLLMENTS (how many open leads
# to enroll in a nurturing cadence, default 100000, 1 in 2000 with a step overdue), MAILS
# (messages in the Maildir of `mail import`, default 100000), PROFILE (cargo profile of the
# binary, default release; `dev` reuses the test build), BENCH_DIR (scratch folder, default
# bench-data), STRICT (exit 1 when a figure failed, for CI: `SMOKE=1 STRICT=1 PROFILE=dev`),
# ONLY=import (the import lines and the file size alone, then the table), ONLY=postgres
# (the PostgreSQL lines alone), ONLY=reads (the read figures alone, on the database a full
# run left in BENCH_DIR: to measure a change to the reads without an import and a fill each
# time).
#
# Each figure is the median of its runs; the two commands of a ratio run alternately, in
# turn first, so that a warm cache or a busy neighbour favours neither. Needs bash 5
# (EPOCHREALTIME), sqlite3 and GNU time (`apt-get install sqlite3 time`).
set -euo pipefail
export LC_ALL=C # a decimal point in EPOCHREALTIME, plain sort
cd "$(dirname "$0")/.."

ROWS=${1:-${ROWS:-1000000}}
RUNS=${RUNS:-5}
QUICK_RUNS=${QUICK_RUNS:-21}
SEED=${SEED:-42}
FOLLOW_UPS=${FOLLOW_UPS:-1000}
ENROLLMENTS=${ENROLLMENTS:-100000}
MAILS=${MAILS:-100000}
PROFILE=${PROFILE:-release}
DIR=${BENCH_DIR:-bench-data}
if [[ -n ${SMOKE:-} ]]; then
    ROWS=${1:-1000} RUNS=1 QUICK_RUNS=3 FOLLOW_UPS=20 ENROLLMENTS=100 MAILS=200
fi

die() { echo "bench: $*" >&2; exit 1; }
note() { echo "bench: $*" >&2; }

[[ -n ${EPOCHREALTIME:-} ]] || die "needs bash 5 or later (EPOCHREALTIME)"
command -v sqlite3 >/dev/null || die "needs the sqlite3 shell (apt-get install sqlite3)"
TIME=/usr/bin/time
[[ -x $TIME ]] || { note "no GNU time at $TIME (apt-get install time): no peak memory"; TIME=; }

# ---------------------------------------------------------------------------------------
# Build and data.

note "building ($PROFILE)"
if [[ $PROFILE == release ]]; then
    cargo build --quiet --release --bin leads --example gen_leads --example gen_mail
    BIN=target/release/leads GEN=target/release/examples/gen_leads
    GEN_MAIL=target/release/examples/gen_mail
else
    cargo build --quiet --profile "$PROFILE" --bin leads --example gen_leads --example gen_mail
    sub=$PROFILE; [[ $PROFILE == dev ]] && sub=debug
    BIN=target/$sub/leads GEN=target/$sub/examples/gen_leads
    GEN_MAIL=target/$sub/examples/gen_mail
fi

mkdir -p "$DIR"
CSV=$DIR/leads-$ROWS-$SEED.csv
if [[ ! -s $CSV || ! -s $CSV.summary || $GEN -nt $CSV ]]; then
    note "generating $ROWS rows into $CSV"
    "$GEN" "$ROWS" --seed "$SEED" -o "$CSV" 2>"$CSV.summary" || die "gen_leads failed"
fi
# "gen_leads: N rows (D repeat an earlier email in another case), B bytes"
DUPLICATES=$(sed -n 's/.*(\([0-9]*\) repeat.*/\1/p' "$CSV.summary")
UNIQUE_EMAILS=$((ROWS - DUPLICATES))
BYTES=$(wc -c <"$CSV")
cat "$CSV" >/dev/null # into the page cache: the first timed run should not read the disk

export LEADS_DB=$DIR/leads.db LEADS_NOW=2026-03-01T09:00:00Z TZ=UTC
REF_DB=$DIR/reference.db
LOG=$DIR/log
mkdir -p "$LOG"

remove_db() { rm -f "$1" "$1-wal" "$1-shm" "$1-journal"; }

# The sqlite3 reference imports: a table with the CSV's columns, all TEXT, named by its
# header; with and without a unique case-insensitive index on the email.
COLUMNS=$(head -1 "$CSV" | sed 's/[^,][^,]*/"&" TEXT/g')
for index in unique plain; do
    {
        echo "CREATE TABLE leads_import ($COLUMNS);"
        [[ $index == unique ]] &&
            echo 'CREATE UNIQUE INDEX leads_import_email ON leads_import ("Email" COLLATE NOCASE);'
        echo ".import --csv --skip 1 $CSV leads_import"
    } >"$DIR/import-$index.sql"
done

# ---------------------------------------------------------------------------------------
# Timing: microseconds of wall time, taken by the shell itself (no fork around the clock).

LAST_US=0 LAST_RC=0
timed() { # timed NAME COMMAND... : stdout and stderr to $LOG/NAME.out|err
    local name=$1 t0 t1
    shift
    t0=${EPOCHREALTIME/./}
    if "$@" >"$LOG/$name.out" 2>"$LOG/$name.err"; then LAST_RC=0; else LAST_RC=$?; fi
    t1=${EPOCHREALTIME/./}
    LAST_US=$((t1 - t0))
}

median() { # median NUMBER... (prints nothing for none)
    (($#)) || return 0
    printf '%s\n' "$@" | sort -n | awk '{ v[NR] = $1 } END {
        if (NR % 2) print v[(NR + 1) / 2]; else printf "%d\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# compare KEY RUNS A B : run functions A and B alternately RUNS times (a `before_A`
# function, when defined, runs untimed before each A); sets MED_A and MED_B (microseconds)
# or FAIL_A / FAIL_B ("failed (exit N)"), stopping a side at its first failure.
compare() {
    local key=$1 runs=$2 a=$3 b=$4 i side
    local -a times_a=() times_b=()
    FAIL_A= FAIL_B=
    for ((i = 0; i < runs; i++)); do
        for side in $( ((i % 2)) && echo "$b $a" || echo "$a $b"); do
            if [[ $side == "$a" && -n $FAIL_A ]] || [[ $side == "$b" && -n $FAIL_B ]]; then
                continue
            fi
            if declare -F "before_$side" >/dev/null; then "before_$side"; fi
            timed "$key.$side" "$side"
            if ((LAST_RC != 0)); then
                [[ $side == "$a" ]] && FAIL_A="failed (exit $LAST_RC)" || FAIL_B="failed (exit $LAST_RC)"
                note "$side failed (exit $LAST_RC): $(tail -c 300 "$LOG/$key.$side.err")"
            elif [[ $side == "$a" ]]; then
                times_a+=("$LAST_US")
            else
                times_b+=("$LAST_US")
            fi
        done
    done
    MED_A=$(median "${times_a[@]+"${times_a[@]}"}")
    MED_B=$(median "${times_b[@]+"${times_b[@]}"}")
}

# ---------------------------------------------------------------------------------------
# The table.

TABLE=()
FAILURES=0
seconds() { awk -v us="$1" 'BEGIN { printf(us < 100000 ? "%.4f s" : "%.2f s", us / 1e6) }'; }
# row FIGURE MED_A|"" FAIL_A MED_B|"" FAIL_B BUDGET_RATIO
row() {
    local figure=$1 a=$2 fail_a=$3 b=$4 fail_b=$5 budget=$6 left right ratio within
    left=${fail_a:-$(seconds "$a")}
    right=${fail_b:-$(seconds "$b")}
    if [[ -n $fail_a || -n $fail_b ]]; then
        ratio=- within=- FAILURES=$((FAILURES + 1))
    else
        ratio=$(awk -v a="$a" -v b="$b" 'BEGIN { printf "%.2f", a / b }')
        within=$(awk -v r="$ratio" -v m="$budget" 'BEGIN { print (r <= m ? "yes" : "NO") }')
    fi
    TABLE+=("$figure|$left|$right|$ratio|<= ${budget}x|$within")
}

NOTES=()

# quoted_row FIGURE MED_A|"" FAIL_A MED_B|"" FAIL_B: a ratio the budget does not judge.
quoted_row() {
    local figure=$1 a=$2 fail_a=$3 b=$4 fail_b=$5 ratio=-
    if [[ -n $fail_a || -n $fail_b ]]; then
        FAILURES=$((FAILURES + 1))
    else
        ratio=$(awk -v a="$a" -v b="$b" 'BEGIN { printf "%.2f", a / b }')
    fi
    TABLE+=("$figure|${fail_a:-$(seconds "$a")}|${fail_b:-$(seconds "$b")}|$ratio|(quoted)|-")
}

# seconds_row FIGURE MED|"" FAIL BOUND_US BOUND: a figure in seconds with no reference,
# within BOUND ("0.25 s") when under BOUND_US microseconds.
seconds_row() {
    local figure=$1 us=$2 fail=$3 bound_us=$4 bound=$5 ok
    if [[ -n $fail ]]; then
        TABLE+=("$figure|$fail|-|-|< $bound|-")
        FAILURES=$((FAILURES + 1))
    else
        ok=$(awk -v us="$us" -v b="$bound_us" 'BEGIN { print (us < b ? "yes" : "NO") }')
        TABLE+=("$figure|$(seconds "$us")|-|-|< $bound|$ok")
    fi
}

# The table and the notes, then the verdict for STRICT.
print_table() {
    echo
    echo "leads $("$BIN" --version | awk '{ print $2 }') ($PROFILE) against $(sqlite3 --version | awk '{ print "sqlite3", $1 }'), $(nproc) cores; medians of $RUNS runs (reads: $QUICK_RUNS)"
    echo
    {
        echo "figure|leads|reference|ratio|budget|within"
        printf '%s\n' "${TABLE[@]}"
    } | awk -F'|' '
        { for (i = 1; i <= NF; i++) { cell[NR, i] = $i; w = length($i); if (w > width[i]) width[i] = w } rows = NR; cols = NF }
        END {
            for (r = 1; r <= rows; r++) {
                line = ""
                for (i = 1; i <= cols; i++) line = line sprintf(i == 1 ? "%-*s" : "  %*s", width[i], cell[r, i])
                print line
            }
        }'
    echo
    for line in "${NOTES[@]}"; do echo "- $line"; done
    if [[ -n ${SMOKE:-} ]]; then
        echo "- SMOKE run: $ROWS rows, one run each; the budget applies to 1,000,000 rows"
    fi
    echo "- logs of every run in $LOG/"
    if [[ -n ${STRICT:-} ]] && ((FAILURES > 0)); then
        die "$FAILURES figure(s) failed (STRICT)"
    fi
}


# ---------------------------------------------------------------------------------------
# 1. Import: leads into an empty database, against sqlite3 .import with and without a
# unique case-insensitive email index. Every run starts from no database at all, and all
# three run under GNU time (the same small cost for each) for their peak memory.

under_time() { # under_time NAME COMMAND...
    local name=$1
    shift
    if [[ -n $TIME ]]; then "$TIME" -v -o "$LOG/$name.time" "$@"; else "$@"; fi
}
peak_kib() { sed -n 's/.*Maximum resident set size (kbytes): //p' "$LOG/$1.time" 2>/dev/null; }

before_leads_import() { remove_db "$LEADS_DB"; }
leads_import() { under_time leads_import "$BIN" --quiet import "$CSV"; }
before_sqlite_unique() { remove_db "$REF_DB.unique"; }
# The planted duplicates make sqlite3 print one "UNIQUE constraint failed" per row it
# skips (that is its dedup, and it exits 0): the time counts those messages too.
sqlite_unique() { under_time sqlite_unique sqlite3 "$REF_DB.unique" <"$DIR/import-unique.sql"; }
before_sqlite_plain() { remove_db "$REF_DB.plain"; }
sqlite_plain() { under_time sqlite_plain sqlite3 "$REF_DB.plain" <"$DIR/import-plain.sql"; }

# On PostgreSQL (section 8): leads import into a new database, against psql's \copy of the same file
# into a table with a unique case-insensitive email index (through a staging table and
# INSERT ... ON CONFLICT DO NOTHING: COPY itself stops at the first duplicate, where
# sqlite3's .import goes on). Each run starts from a new database. Skipped, said, when no
# server answers at BENCH_POSTGRES (default LEADS_TEST_POSTGRES, else the local server).
postgres_import() {
    PG=${BENCH_POSTGRES:-${LEADS_TEST_POSTGRES:-postgres://postgres@127.0.0.1:5432}}
    if command -v psql >/dev/null && pg_isready -q -d "$PG/postgres" 2>/dev/null; then
        fresh_pg() { psql -q -d "$PG/postgres" -c "DROP DATABASE IF EXISTS $1" -c "CREATE DATABASE $1" >/dev/null 2>&1; }
        {
            echo "CREATE TABLE leads_import ($COLUMNS);"
            echo 'CREATE UNIQUE INDEX leads_import_email ON leads_import (lower("Email"));'
            echo "CREATE TEMP TABLE staging (LIKE leads_import);"
            echo "\\copy staging FROM '$CSV' WITH (FORMAT csv, HEADER true)"
            echo "INSERT INTO leads_import SELECT * FROM staging ON CONFLICT DO NOTHING;"
        } >"$DIR/import-postgres.sql"
        before_leads_pg_import() { fresh_pg leads_bench; }
        leads_pg_import() { LEADS_DB=$PG/leads_bench "$BIN" --quiet import "$CSV"; }
        before_psql_copy() { fresh_pg leads_bench_copy; }
        psql_copy() { psql -q -v ON_ERROR_STOP=1 -d "$PG/leads_bench_copy" -f "$DIR/import-postgres.sql"; }
        note "PostgreSQL import: $ROWS rows, $RUNS rounds"
        compare pg_import "$RUNS" leads_pg_import psql_copy
        row "PostgreSQL: import vs psql \\copy, unique email index" "$MED_A" "$FAIL_A" "$MED_B" "$FAIL_B" 2.0
        # Reads on the database the last import left, quoted against psql's start-up (the
        # budget has no PostgreSQL read line; the first run of each settles the day's scores).
        pg_leads() { LEADS_DB=$PG/leads_bench "$BIN" "$@"; }
        pg_select_1() { psql -Atq -d "$PG/leads_bench" -c 'SELECT 1'; }
        pg_show_id=$(psql -Atq -d "$PG/leads_bench" -c 'SELECT max(id) / 2 FROM leads' 2>/dev/null)
        pg_list() { pg_leads list --limit 50; }
        pg_show() { pg_leads show "$pg_show_id"; }
        pg_today() { pg_leads today --limit 50; }
        pg_overdue() { pg_leads follow-up list --overdue; }
        pg_report() { pg_leads report; }
        for read in list show today overdue report; do
            "pg_$read" >/dev/null 2>&1 || true
            compare "pg_$read" "$QUICK_RUNS" "pg_$read" pg_select_1
            quoted_row "PostgreSQL: $read vs psql -c 'SELECT 1'" "$MED_A" "$FAIL_A" "$MED_B" "$FAIL_B"
        done
        pg_rows=$(psql -Atq -d "$PG/leads_bench" -c 'SELECT count(*) FROM leads' 2>/dev/null || echo '?')
        ref_rows=$(psql -Atq -d "$PG/leads_bench_copy" -c 'SELECT count(*) FROM leads_import' 2>/dev/null || echo '?')
        NOTES+=("PostgreSQL ($(psql -Atq -d "$PG/postgres" -c 'SHOW server_version' 2>/dev/null)): leads kept $pg_rows leads, psql $ref_rows rows")
        psql -q -d "$PG/postgres" -c "DROP DATABASE IF EXISTS leads_bench" -c "DROP DATABASE IF EXISTS leads_bench_copy" >/dev/null 2>&1 || true
    else
        NOTES+=("PostgreSQL import not measured: no server answers at BENCH_POSTGRES")
    fi
}
if [[ ${ONLY:-} == postgres ]]; then
    postgres_import
    NOTES+=("ONLY=postgres: the PostgreSQL lines alone")
    print_table
    exit 0
fi

if [[ ${ONLY:-} != reads ]]; then
note "import: $ROWS rows, $RUNS rounds"
compare import "$RUNS" leads_import sqlite_unique
IMPORT_FAIL=$FAIL_A
row "import vs sqlite3 .import, unique email index" "$MED_A" "$FAIL_A" "$MED_B" "$FAIL_B" 1.0
if [[ -z $IMPORT_FAIL && -n $TIME ]]; then
    kib=$(peak_kib leads_import)
    mib=$(awk -v k="$kib" 'BEGIN { printf "%.1f", k / 1024 }')
    ok=$(awk -v m="$mib" 'BEGIN { print (m < 150 ? "yes" : "NO") }')
    ref=$(awk -v k="$(peak_kib sqlite_unique)" 'BEGIN { printf "%.1f MiB", k / 1024 }')
    PEAK_ROW="peak memory of leads import (last run)|$mib MiB|$ref|-|< 150 MiB|$ok"
fi
compare import "$RUNS" leads_import sqlite_plain
row "import vs sqlite3 .import, no index" "$MED_A" "$FAIL_A" "$MED_B" "$FAIL_B" 1.5
if [[ -n ${PEAK_ROW:-} ]]; then TABLE+=("$PEAK_ROW"); fi

unique_rows=$(sqlite3 "$REF_DB.unique" 'SELECT count(*) FROM leads_import' 2>/dev/null || echo '?')
NOTES+=("data: $ROWS rows, $BYTES bytes, $DUPLICATES emails repeated in another case: $UNIQUE_EMAILS distinct; sqlite3 with the unique index kept $unique_rows rows")

# The file the last leads import left (with its write-ahead log, if any), against the CSV;
# what takes the room, from SQLite's dbstat, as a note.
if [[ -z $IMPORT_FAIL ]]; then
    db_bytes=$(($(stat -c %s "$LEADS_DB") + $(stat -c %s "$LEADS_DB-wal" 2>/dev/null || echo 0)))
    mb() { awk -v b="$1" 'BEGIN { printf "%.1f MB", b / 1e6 }'; }
    ratio=$(awk -v a="$db_bytes" -v b="$BYTES" 'BEGIN { printf "%.2f", a / b }')
    ok=$(awk -v r="$ratio" 'BEGIN { print (r <= 1.5 ? "yes" : "NO") }')
    TABLE+=("database file after leads import vs the CSV|$(mb "$db_bytes")|$(mb "$BYTES")|$ratio|<= 1.5x|$ok")
    largest=$(sqlite3 "$LEADS_DB" "SELECT group_concat(name || ' ' || mb, ', ') FROM (
        SELECT name, printf('%.1f', sum(pgsize) / 1e6) AS mb FROM dbstat GROUP BY name
        ORDER BY sum(pgsize) DESC LIMIT 8)" 2>/dev/null || true)
    [[ -z $largest ]] || NOTES+=("largest parts of the database file (MB): $largest")
fi

fi # not ONLY=reads

if [[ ${ONLY:-} == import ]]; then
    NOTES+=("ONLY=import: the import lines and the file size alone")
    print_table
    exit 0
fi


# ---------------------------------------------------------------------------------------
# The database of a million leads for the read figures: the last leads import. An import
# that failed leaves nothing honest to measure: stop, loudly.

if [[ ${ONLY:-} == reads ]]; then
    # A database an ONLY=import run left, or a full run that stopped during the fill, has
    # no follow-ups: its figures would not be the benchmark's.
    follow_ups=$(sqlite3 "$LEADS_DB" 'SELECT count(*) FROM follow_ups' 2>/dev/null || echo 0)
    ((follow_ups > 0)) || die "ONLY=reads needs the database of a full run in $DIR (none, or no follow-ups in it)"
    IMPORT_FAIL=
fi
[[ -z $IMPORT_FAIL ]] || die "leads import failed ($IMPORT_FAIL): no database to measure the reads on (see $LOG)"
LEAD_COUNT=$(sqlite3 "$LEADS_DB" 'SELECT count(*) FROM leads')
MAX_ID=$(sqlite3 "$LEADS_DB" 'SELECT max(id) FROM leads')
NOTES+=("the database for the read figures holds $LEAD_COUNT leads (expected $UNIQUE_EMAILS), filled by leads import")

# The first read after an import or fill may rescore every lead (refresh_scores): timed
# once, apart, because the medians below only see the database once that is done.
timed first_list "$BIN" list --limit 50
if [[ ${ONLY:-} == reads ]]; then
    : # not the first read of that database: nothing to say
elif ((LAST_RC == 0)); then
    NOTES+=("the first 'leads list --limit 50' on that database took $(seconds "$LAST_US") (scores refreshed as needed; not in the medians)")
else
    NOTES+=("the first 'leads list --limit 50' failed (exit $LAST_RC)")
fi

# Follow-ups, a few of them overdue, and some activities on the lead that `show` shows,
# all through leads itself: a command that fails stops the benchmark (STRICT or not), so
# the figures are never taken on data leads did not write.
SHOW_ID=$(sqlite3 "$LEADS_DB" "SELECT id FROM leads WHERE id >= $MAX_ID / 2 ORDER BY id LIMIT 1")
if [[ ${ONLY:-} != reads ]]; then
for kind in call email_sent meeting; do
    "$BIN" --quiet log "$SHOW_ID" "$kind" --at 2026-02-20 --note "benchmark $kind" >/dev/null \
        || die "leads log failed on lead $SHOW_ID"
done
step=$((LEAD_COUNT / FOLLOW_UPS > 0 ? LEAD_COUNT / FOLLOW_UPS : 1))
overdue_every=20
"$BIN" --quiet follow-up add "$SHOW_ID" --due 2026-02-25 --note "benchmark" \
    >/dev/null 2>"$LOG/follow_up_add.err" \
    || die "leads follow-up add failed: $(cat "$LOG/follow_up_add.err")"
made=1
for ((id = step; id <= MAX_ID && made < FOLLOW_UPS; id += step)); do
    due=2026-03-20
    ((made % overdue_every == 0)) && due=2026-02-2$((made % 9))
    "$BIN" --quiet follow-up add "$id" --due "$due" --note "call back, ask about Q2" \
        >/dev/null 2>>"$LOG/follow_up_add.err" \
        || die "leads follow-up add failed on lead $id: $(tail -1 "$LOG/follow_up_add.err")"
    made=$((made + 1))
done
NOTES+=("$made follow-ups scheduled with 'leads follow-up add', 1 in $overdue_every overdue")

# Nurturing: open leads enrolled in a cadence with `leads nurture`, a few thousand per
# command; each enrollment's step is an open follow-up, so `follow-up list --overdue` reads
# past ENROLLMENTS more of them. Their first steps fall due in three days, except for 1 in
# 2000 leads, which started earlier and are overdue. A failure stops the benchmark.
OVERDUE_EVERY=2000
sqlite3 "$LEADS_DB" "SELECT id FROM leads WHERE status IN ('new', 'contacted', 'nurturing')
    AND do_not_contact = 0 AND forgotten_at IS NULL AND next_follow_up IS NULL
    ORDER BY id LIMIT $ENROLLMENTS" >"$DIR/enroll.ids"
awk -v n=$OVERDUE_EVERY 'NR % n == 1' "$DIR/enroll.ids" >"$DIR/enroll-overdue.ids"
awk -v n=$OVERDUE_EVERY 'NR % n != 1' "$DIR/enroll.ids" >"$DIR/enroll-later.ids"
enroll() { # enroll IDS_FILE [--start WHEN]
    local ids=$1
    shift
    xargs -r -n 5000 "$BIN" --quiet nurture --cadence bench "$@" <"$ids" 2>>"$LOG/nurture.err"
}
t0=${EPOCHREALTIME/./}
if "$BIN" --quiet cadence add bench "3d email_sent: send the e-book" "1w call: ask how it went" \
    2>"$LOG/nurture.err" &&
    enroll "$DIR/enroll-overdue.ids" --start 2026-02-20 && enroll "$DIR/enroll-later.ids"; then
    t1=${EPOCHREALTIME/./}
    enrolled=$(sqlite3 "$LEADS_DB" 'SELECT count(*) FROM enrollments WHERE ended_at IS NULL')
    NOTES+=("$enrolled leads enrolled in a cadence with 'leads nurture' in $(seconds $((t1 - t0))), $(wc -l <"$DIR/enroll-overdue.ids") with a step overdue")
else
    die "leads nurture failed: $(tail -c 300 "$LOG/nurture.err")"
fi

# Activities, as a seller's database carries them: ACTIVITIES of them (default 100000) on
# open leads, logged with `leads log ID... KIND` a few thousand leads per command (a
# mailing, a round of calls), so `today` meets leads with touches, answers and attempts.
ACTIVITIES=${ACTIVITIES:-100000}
[[ -n ${SMOKE:-} ]] && ACTIVITIES=200
sqlite3 "$LEADS_DB" "SELECT id FROM leads WHERE status IN ('new', 'contacted', 'nurturing', 'qualified')
    AND do_not_contact = 0 AND forgotten_at IS NULL ORDER BY id DESC LIMIT $ACTIVITIES" >"$DIR/activity.ids"
t0=${EPOCHREALTIME/./}
log_some() { # log_some AWK_FILTER KIND [ARGS...]: the matching ids, one command per 5000
    local filter=$1 kind=$2
    shift 2
    awk "$filter" "$DIR/activity.ids" | while mapfile -t -n 5000 ids && ((${#ids[@]})); do
        "$BIN" --quiet log "${ids[@]}" "$kind" "$@" 2>>"$LOG/log.err" || return 1
    done
}
if log_some 'NR % 4 == 0' email_sent --at 2026-02-10 &&
    log_some 'NR % 4 == 1' call --outcome no_answer --at 2026-02-20 &&
    log_some 'NR % 4 == 2' call --at 2026-02-24 &&
    log_some 'NR % 4 == 3' email_replied --at 2026-02-27; then
    t1=${EPOCHREALTIME/./}
    logged=$(sqlite3 "$LEADS_DB" 'SELECT count(*) FROM activities')
    NOTES+=("$logged activities logged with 'leads log ID... KIND' in $(seconds $((t1 - t0)))")
else
    die "leads log failed: $(tail -c 300 "$LOG/log.err")"
fi

fi # not ONLY=reads

# ---------------------------------------------------------------------------------------
# 2. Reads on that database, against the start-up of the sqlite3 shell.

sqlite_start() { sqlite3 :memory: 'select 1'; }
leads_version() { "$BIN" --version; }
leads_list() { "$BIN" list --limit 50; }
leads_show() { "$BIN" show "$SHOW_ID"; }
leads_overdue() { "$BIN" follow-up list --overdue; }
leads_today() { "$BIN" today --limit 50; }

note "reads: $QUICK_RUNS rounds each"
compare startup "$QUICK_RUNS" leads_version sqlite_start
row "start-up: leads --version vs sqlite3 :memory: 'select 1'" "$MED_A" "$FAIL_A" "$MED_B" "$FAIL_B" 3.0
compare list "$QUICK_RUNS" leads_list sqlite_start
row "list --limit 50 ($LEAD_COUNT leads) vs sqlite3 start-up" "$MED_A" "$FAIL_A" "$MED_B" "$FAIL_B" 2.0
compare show "$QUICK_RUNS" leads_show sqlite_start
row "show $SHOW_ID ($LEAD_COUNT leads) vs sqlite3 start-up" "$MED_A" "$FAIL_A" "$MED_B" "$FAIL_B" 2.0
compare overdue "$QUICK_RUNS" leads_overdue sqlite_start
row "follow-up list --overdue vs sqlite3 start-up" "$MED_A" "$FAIL_A" "$MED_B" "$FAIL_B" 2.0
compare today "$QUICK_RUNS" leads_today sqlite_start
row "today --limit 50 ($LEAD_COUNT leads) vs sqlite3 start-up" "$MED_A" "$FAIL_A" "$MED_B" "$FAIL_B" 2.0
today_lines=$(wc -l <"$LOG/today.leads_today.out")
full_lines=$("$BIN" today --format ndjson | wc -l)
NOTES+=("today lists $full_lines leads on that database (the benchmark's statuses are drawn at random: most worked leads have no next step); --limit 50 printed $((today_lines - 1)) lines under its header")

if [[ ${ONLY:-} == reads ]]; then
    NOTES+=("ONLY=reads: the read figures alone, on the database of an earlier full run")
    print_table
    exit 0
fi

# ---------------------------------------------------------------------------------------
# 3. Report: seconds, no reference.

# By source (the default) and by month (the trend); both include the funnel of stages
# reached and, once spend exists, the money columns: a few spends are recorded first.
for source in trade_show webinar purchased_list; do
    "$BIN" --quiet spend add "$source" 1000 --on 2026-01-15 >/dev/null \
        || die "leads spend add failed"
done
leads_report() { "$BIN" report; }
leads_report_month() { "$BIN" report --by month; }
for by in "" _month; do
    compare "report$by" "$RUNS" "leads_report$by" true
    seconds_row "report${by:+ --by month} ($LEAD_COUNT leads)" "$MED_A" "$FAIL_A" 250000 "0.25 s"
done

# ---------------------------------------------------------------------------------------
# 4. Export to CSV, against sqlite3 -csv selecting the same columns: the columns are read
# from the header of leads' own export (each a column of the table, `name` computed, any
# other NULL), or every column of the table while leads cannot export.

EXPORT_SELECT='*'
leads_export() { "$BIN" export --format csv; }
sqlite_export() { sqlite3 -csv -header "$LEADS_DB" "SELECT $EXPORT_SELECT FROM leads ORDER BY id"; }
export_columns() {
    local header columns=() table_columns
    header=$(head -1 "$LOG/export.leads_export.out" 2>/dev/null | tr -d '\r')
    [[ -n $header ]] || return 0
    table_columns=" $(sqlite3 "$LEADS_DB" "SELECT group_concat(name, ' ') FROM pragma_table_info('leads')") "
    IFS=, read -ra fields <<<"$header"
    for field in "${fields[@]}"; do
        if [[ $table_columns == *" $field "* ]]; then
            columns+=("$field")
        elif [[ $field == name ]]; then
            columns+=("trim(coalesce(first_name, '') || ' ' || coalesce(last_name, '')) AS name")
        else
            columns+=("NULL AS \"$field\"")
        fi
    done
    EXPORT_SELECT=$(IFS=,; echo "${columns[*]}")
}
# One untimed leads export to learn its columns (and warm the cache for both sides).
timed export.leads_export leads_export
export_columns
compare export "$RUNS" leads_export sqlite_export
row "export --format csv ($LEAD_COUNT leads) vs sqlite3 -csv" "$MED_A" "$FAIL_A" "$MED_B" "$FAIL_B" 1.0
if [[ $EXPORT_SELECT == '*' ]]; then
    NOTES+=("the sqlite3 export selected every column of the leads table (leads export gave no header to match)")
fi

# The first read of a new day refreshes the scores that move with the clock: timed once,
# last, as a note (then the clock goes back, so a second run of the script finds it as is).
timed new_day env LEADS_NOW=2026-03-02T09:00:00Z "$BIN" list --limit 50
if ((LAST_RC == 0)); then
    NOTES+=("the first 'leads list --limit 50' of a new day took $(seconds "$LAST_US") (daily refresh of time-dependent scores; not in the medians)")
fi
timed new_day_today env LEADS_NOW=2026-03-03T08:00:00Z "$BIN" today --limit 50
if ((LAST_RC == 0)); then
    today_us=$LAST_US
    # On a large database `today` leaves that refresh to a process of its own: wait for it
    # (the figures after this one must not share the machine with it), and say how long
    # it ran after `today` had answered.
    refreshed() { [[ $(sqlite3 "$LEADS_DB" "SELECT value FROM settings WHERE key = 'scores.day'" 2>/dev/null) == 2026-03-03 ]]; }
    if refreshed; then
        NOTES+=("the first 'leads today --limit 50' of the next day (cron's run) took $(seconds "$today_us"), the day's refresh done in place (not in the medians)")
    else
        t0=${EPOCHREALTIME/./}
        for ((i = 0; i < 600; i++)); do
            refreshed && break
            sleep 0.05
        done
        t1=${EPOCHREALTIME/./}
        if refreshed; then
            NOTES+=("the first 'leads today --limit 50' of the next day (cron's run) took $(seconds "$today_us"); the day's refresh it started in the background was done $(seconds $((t1 - t0))) after it answered (not in the medians)")
        else
            NOTES+=("the first 'leads today --limit 50' of the next day (cron's run) took $(seconds "$today_us"); the day's refresh was not done 30 s after it answered")
        fi
    fi
fi
"$BIN" --quiet list --limit 1 >/dev/null 2>&1 || true

# ---------------------------------------------------------------------------------------
# 5. Mail import: a Maildir of MAILS messages (gen_mail: 2,000 leads; a fifth of the mail
# with them, the rest newsletters and strangers), logged into a database of those leads,
# against grep reading the same files. Every timed run starts from the same database with
# nothing logged; then once more on the logged database, which logs nothing.

MAILDIR=$DIR/Maildir-$MAILS
MAIL_DB=$DIR/mail.db
MAIL_TEMPLATE=$DIR/mail-template.db
if [[ ! -d $MAILDIR/cur || $GEN_MAIL -nt $MAILDIR ]]; then
    note "generating a Maildir of $MAILS messages into $MAILDIR"
    rm -rf "$MAILDIR"
    "$GEN_MAIL" "$MAILS" "$MAILDIR" "$DIR/mail-leads.csv" || die "gen_mail failed"
fi
remove_db "$MAIL_TEMPLATE"
LEADS_DB=$MAIL_TEMPLATE "$BIN" --quiet import "$DIR/mail-leads.csv" >/dev/null \
    && LEADS_DB=$MAIL_TEMPLATE "$BIN" --quiet config mail.me ann@acme.example \
    || die "could not make the database for mail import"
sqlite3 "$MAIL_TEMPLATE" 'PRAGMA wal_checkpoint(TRUNCATE)' >/dev/null
grep -c "^Message-ID:" -r "$MAILDIR" >/dev/null # into the page cache, for both sides

before_leads_mail() { remove_db "$MAIL_DB"; cp "$MAIL_TEMPLATE" "$MAIL_DB"; }
leads_mail() { LEADS_DB=$MAIL_DB "$BIN" mail import "$MAILDIR" --format json; }
grep_mail() { grep -c '^Message-ID:' -r "$MAILDIR" >/dev/null; }
note "mail import: $MAILS messages, $RUNS rounds"
compare mail "$RUNS" leads_mail grep_mail
row "mail import of $MAILS messages vs grep -c -r" "$MED_A" "$FAIL_A" "$MED_B" "$FAIL_B" 2.0
if [[ -z $FAIL_A ]]; then
    NOTES+=("mail import of $MAILS messages: $(cat "$LOG/mail.leads_mail.out")")
fi
unset -f before_leads_mail
leads_mail_again() { LEADS_DB=$MAIL_DB "$BIN" mail import "$MAILDIR" --format json; }
compare mail_again "$RUNS" leads_mail_again grep_mail
row "mail import again (logs nothing) vs grep -c -r" "$MED_A" "$FAIL_A" "$MED_B" "$FAIL_B" 2.0
if [[ -z $FAIL_A ]] && ! grep -q '"logged":0,' "$LOG/mail_again.leads_mail_again.out"; then
    TABLE+=("mail import again logged something: $(cat "$LOG/mail_again.leads_mail_again.out")|-|-|-|0|NO")
    FAILURES=$((FAILURES + 1))
fi

# ---------------------------------------------------------------------------------------
# 6. Scoring rules, on a copy of the read database (the figures above keep its scores):
# 20 rules added one after the other with `leads config rule add`, each of which rescores
# every open lead at once, each add timed (the budget is one add's time; the slowest is
# the last, with 20 rules); then `qualify --all` with the 20 rules, RUNS times. Seconds,
# no reference. A rule add that fails stops the benchmark.

RULES_DB=$DIR/rules.db
RULES=(
    "industry = Healthcare|--points 10"
    "industry = Manufacturing|--points 5"
    "industry = Finance|--points 4"
    "title contains founder|--axis readiness --points 10"
    "title contains VP|--points 8"
    "title contains Director|--points 6"
    "country = Canada|--points 5"
    "country = Germany|--points 4"
    "country = New Zealand|--points 3"
    "company_size >= 1000|--points 10"
    "company_size < 10|--points -5"
    "source = referral|--axis engagement --points 10"
    "source = webinar|--axis engagement --points 5"
    "status = nurturing|--axis engagement --points -3"
    "email contains .io|--points 2"
    "company contains Partners|--points 3"
    "website contains https|--points 1"
    "phone contains +49|--points 2"
    "tags contains vip|--axis readiness --points 5"
    "last_name = Smith|--points 1"
)
sqlite3 "$LEADS_DB" 'PRAGMA wal_checkpoint(TRUNCATE)' >/dev/null
remove_db "$RULES_DB"
cp "$LEADS_DB" "$RULES_DB"
note "rules: ${#RULES[@]} rules added one by one, then qualify --all, $RUNS rounds"
rule_times=()
for rule in "${RULES[@]}"; do
    # The flags split into words; the condition stays one argument.
    read -ra flags <<<"${rule#*|}"
    timed rule_add env LEADS_DB="$RULES_DB" "$BIN" --quiet config rule add "${rule%%|*}" "${flags[@]}"
    ((LAST_RC == 0)) || die "leads config rule add '${rule%%|*}' failed: $(tail -c 300 "$LOG/rule_add.err")"
    rule_times+=("$LAST_US")
done
slowest=$(printf '%s\n' "${rule_times[@]}" | sort -n | tail -1)
fastest=$(printf '%s\n' "${rule_times[@]}" | sort -n | head -1)
seconds_row "config rule add, slowest of ${#RULES[@]} ($LEAD_COUNT leads)" "$slowest" "" 30000000 "30 s"
NOTES+=("the ${#RULES[@]} 'config rule add' took $(seconds "$fastest") to $(seconds "$slowest") each (each rescores every open lead; the last one $(seconds "${rule_times[-1]}"), with ${#RULES[@]} rules)")
leads_qualify_all() { LEADS_DB=$RULES_DB "$BIN" --quiet qualify --all; }
compare qualify_all "$RUNS" leads_qualify_all true
seconds_row "qualify --all, ${#RULES[@]} rules ($LEAD_COUNT leads)" "$MED_A" "$FAIL_A" 30000000 "30 s"
remove_db "$RULES_DB"

# ---------------------------------------------------------------------------------------
# 8. On PostgreSQL: leads import into a new database (`postgres_import`, above).

if [[ ${ONLY:-} != reads ]]; then
    postgres_import
fi

# ---------------------------------------------------------------------------------------

print_table
