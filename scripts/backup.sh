#!/usr/bin/env bash
# scripts/backup.sh: per-context logical backup of the SES database.
#
# One pg_dump custom-format file per schema (pg_dump -n <schema> -Fc), so one
# bounded context can be restored alone (scripts/restore.sh). Every file is
# taken from ONE exported snapshot, so the UUID references between contexts
# agree across files (separate pg_dump runs would each see a different moment).
#
# Materialized views are left out of the dumps: they are derived from several
# contexts, a single-context restore could not recreate them, and
# `bbase migrate` plus report_context.refresh_stats() rebuild them.
#
# Usage: scripts/backup.sh [-d DSN] [-o DIR] [SCHEMA ...]
#   -d DSN   libpq URI of the database; default $DATABASE_URL, else the
#            embedded local cluster (`bbase --local dsn`)
#   -o DIR   output directory; default backups/<UTC yyyymmdd_HHMMSS>
#   SCHEMA   default: ses_common, the eight *_context schemas, ses_archive and
#            bbase (whichever exist in the database)
# Writes DIR/<schema>.dump, DIR/manifest.tsv (schema, file, bytes),
# DIR/extensions.txt (installed extensions) and DIR/SHA256SUMS. Exit status is
# non-zero if any dump fails.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
PG_BIN=${BBASE_PG_BIN:-/usr/lib/postgresql/15/bin}
pgtool() { if [ -x "$PG_BIN/$1" ]; then echo "$PG_BIN/$1"; else command -v "$1"; fi; }
PG_DUMP=$(pgtool pg_dump)
PG_RESTORE=$(pgtool pg_restore)
PSQL=$(pgtool psql)

DEFAULT_SCHEMAS=(bbase ses_common project_context engineer_context matching_context
                 contract_context timesheet_context billing_context report_context
                 notification_context ses_archive)

usage() { sed -n '13,21p' "$0" | sed 's/^# \{0,1\}//'; exit 2; }

DSN=${DATABASE_URL:-}
OUT=
while getopts "d:o:h" opt; do
  case "$opt" in
    d) DSN=$OPTARG ;;
    o) OUT=$OPTARG ;;
    *) usage ;;
  esac
done
shift $((OPTIND - 1))

if [ -z "$DSN" ]; then
  DSN=$("$ROOT/.venv/bin/bbase" --local dsn)
fi
OUT=${OUT:-$ROOT/backups/$(date -u +%Y%m%d_%H%M%S)}

q() { "$PSQL" "$DSN" -X -q -At -v ON_ERROR_STOP=1 "$@"; }

if [ $# -gt 0 ]; then
  SCHEMAS=("$@")
  for s in "${SCHEMAS[@]}"; do
    if [[ ! "$s" =~ ^[a-z_][a-z0-9_]*$ ]]; then
      echo "backup: $s is not a schema name (lower case, digits, _)" >&2
      exit 2
    fi
    if [ "$(q -c "SELECT count(*) FROM pg_namespace WHERE nspname = '$s'")" != 1 ]; then
      echo "backup: schema $s does not exist in the database; nothing written" >&2
      exit 1
    fi
  done
else
  mapfile -t SCHEMAS < <(q -c "SELECT nspname FROM unnest('{$(IFS=,; echo "${DEFAULT_SCHEMAS[*]}")}'::text[])
                                WITH ORDINALITY AS d (nspname, ord)
                                WHERE EXISTS (SELECT FROM pg_namespace n WHERE n.nspname = d.nspname)
                                ORDER BY ord")
fi
if [ ${#SCHEMAS[@]} -eq 0 ]; then
  echo "backup: none of the SES schemas exists in the database; nothing to do" >&2
  exit 1
fi

mkdir -p "$OUT"

# One snapshot for all dumps: a psql coprocess holds a REPEATABLE READ
# transaction open and exports its snapshot; every pg_dump attaches to it.
coproc SNAP { "$PSQL" "$DSN" -X -q -At -v ON_ERROR_STOP=1; }
SNAP_IN=${SNAP[1]}
SNAP_OUT=${SNAP[0]}
finish_snapshot() {
  if [ -n "${SNAP_PID:-}" ]; then
    echo "COMMIT;" >&"$SNAP_IN" 2>/dev/null || true
    exec {SNAP_IN}>&- 2>/dev/null || true
    wait "$SNAP_PID" 2>/dev/null || true
  fi
}
trap finish_snapshot EXIT
echo "BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY; SELECT pg_export_snapshot();" >&"$SNAP_IN"
if ! read -r -t 60 SNAPSHOT <&"$SNAP_OUT" || [ -z "$SNAPSHOT" ]; then
  echo "backup: could not export a snapshot from $DSN" >&2
  exit 1
fi

printf 'schema\tfile\tbytes\n' > "$OUT/manifest.tsv"
# pg_dump -n does not dump extensions: list them so restore.sh can create the missing ones.
q -c "SELECT extname || ' ' || extnamespace::regnamespace FROM pg_extension
      WHERE extname <> 'plpgsql' ORDER BY 1" > "$OUT/extensions.txt"
for s in "${SCHEMAS[@]}"; do
  file="$s.dump"
  excludes=()
  while IFS= read -r mv; do
    [ -n "$mv" ] && excludes+=("--exclude-table=$mv")
  done < <(q -c "SELECT format('%I.%I', schemaname, matviewname) FROM pg_matviews
                 WHERE schemaname = '$s' ORDER BY 1")
  "$PG_DUMP" --dbname="$DSN" --snapshot="$SNAPSHOT" --format=custom --compress=6 \
    --schema="$s" "${excludes[@]}" --file="$OUT/$file"
  "$PG_RESTORE" --list "$OUT/$file" > /dev/null   # the archive's table of contents is readable
  printf '%s\t%s\t%s\n' "$s" "$file" "$(stat -c %s "$OUT/$file")" >> "$OUT/manifest.tsv"
  echo "backup: $s -> $OUT/$file"
done
finish_snapshot
SNAP_PID=

(cd "$OUT" && sha256sum -- *.dump manifest.tsv extensions.txt > SHA256SUMS)
echo "backup: ${#SCHEMAS[@]} schema(s) in $OUT (snapshot $SNAPSHOT)"
