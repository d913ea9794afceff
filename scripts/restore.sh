#!/usr/bin/env bash
# scripts/restore.sh: restore one schema (one bounded context) from a
# scripts/backup.sh directory.
#
# Usage: scripts/restore.sh [-d DSN] [-n] BACKUP_DIR SCHEMA
#   -d DSN   libpq URI of the target database; default $DATABASE_URL, else
#            the embedded local cluster (`bbase --local dsn`)
#   -n       do not restore privileges (GRANTs), for a target cluster without
#            the bbase_* roles
#   SCHEMA   e.g. billing_context
#
# The target must not contain SCHEMA: restore into an empty database, or move
# the damaged schema aside first (ALTER SCHEMA billing_context RENAME TO
# billing_context_damaged). The schemas every context needs are restored
# first from the same backup when the target lacks them: bbase (shared
# helpers) and ses_common (common trigger functions, reference checks).
# Missing extensions listed in the backup are created. Each schema is restored
# in one transaction (--single-transaction --exit-on-error): all or nothing.
# Objects are owned by the restoring role (--no-owner). Materialized views are
# not in the dumps: run `bbase migrate` and report_context.refresh_stats() in a
# full database to rebuild them.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
PG_BIN=${BBASE_PG_BIN:-/usr/lib/postgresql/15/bin}
pgtool() { if [ -x "$PG_BIN/$1" ]; then echo "$PG_BIN/$1"; else command -v "$1"; fi; }
PG_RESTORE=$(pgtool pg_restore)
PSQL=$(pgtool psql)

usage() { sed -n '5,11p' "$0" | sed 's/^# \{0,1\}//'; exit 2; }

PREREQUISITES=(bbase ses_common)
DSN=${DATABASE_URL:-}
ACL=()
while getopts "d:nh" opt; do
  case "$opt" in
    d) DSN=$OPTARG ;;
    n) ACL=(--no-acl) ;;
    *) usage ;;
  esac
done
shift $((OPTIND - 1))
[ $# -eq 2 ] || usage
DIR=$1
SCHEMA=$2
if [[ ! "$SCHEMA" =~ ^[a-z_][a-z0-9_]*$ ]]; then
  echo "restore: $SCHEMA is not a schema name (lower case, digits, _)" >&2
  exit 2
fi
if [ -z "$DSN" ]; then
  DSN=$("$ROOT/.venv/bin/bbase" --local dsn)
fi

q() { "$PSQL" "$DSN" -X -q -At -v ON_ERROR_STOP=1 "$@"; }
has_schema() { [ "$(q -c "SELECT count(*) FROM pg_namespace WHERE nspname = '$1'")" = 1 ]; }

if [ ! -f "$DIR/$SCHEMA.dump" ]; then
  echo "restore: $DIR/$SCHEMA.dump not found (schemas in this backup: $(cd "$DIR" && ls -- *.dump 2>/dev/null | sed 's/\.dump$//' | tr '\n' ' '))" >&2
  exit 1
fi
if [ -f "$DIR/SHA256SUMS" ]; then
  if ! (cd "$DIR" && sha256sum --quiet --check SHA256SUMS); then
    echo "restore: checksums in $DIR/SHA256SUMS do not match; the backup is damaged" >&2
    exit 1
  fi
fi
if has_schema "$SCHEMA"; then
  echo "restore: schema $SCHEMA already exists in the target; rename it first" \
       "(ALTER SCHEMA $SCHEMA RENAME TO ${SCHEMA}_old) or restore into an empty database" >&2
  exit 1
fi

if [ -s "$DIR/extensions.txt" ]; then
  while read -r ext ext_schema; do
    [ -n "$ext" ] || continue
    if [ "$(q -c "SELECT count(*) FROM pg_extension WHERE extname = '$ext'")" = 0 ]; then
      if has_schema "$ext_schema"; then
        q -c "CREATE EXTENSION IF NOT EXISTS \"$ext\" SCHEMA \"$ext_schema\""
      else
        q -c "CREATE EXTENSION IF NOT EXISTS \"$ext\""
      fi
      echo "restore: created extension $ext"
    fi
  done < "$DIR/extensions.txt"
fi

restore_one() {
  "$PG_RESTORE" --dbname="$DSN" --single-transaction --exit-on-error --no-owner \
    "${ACL[@]}" "$DIR/$1.dump"
  echo "restore: $1 restored from $DIR/$1.dump"
}

for s in "${PREREQUISITES[@]}"; do
  if [ "$s" != "$SCHEMA" ] && ! has_schema "$s" && [ -f "$DIR/$s.dump" ]; then
    restore_one "$s"
  fi
done
restore_one "$SCHEMA"
