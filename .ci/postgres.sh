# Sourced by .ci/run: installs PostgreSQL when it is missing (Debian's
# package), starts a throwaway server as the postgres user in a temporary
# directory, on a loopback port, with a password, and exports its URL as
# FOOTNOTE_TEST_POSTGRES for the store's tests. The server is stopped and
# its directory removed when the sourcing shell exits.
pg_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }
if [ -z "$(pg_bin)" ]; then
  if [ "$(id -u)" != 0 ]; then
    echo "PostgreSQL is not installed: run as root, or apt-get install postgresql first" >&2
    exit 1
  fi
  echo "installing PostgreSQL (Debian package postgresql)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq postgresql >/dev/null
fi
PGBIN=$(pg_bin)
if [ -z "$PGBIN" ]; then
  echo "PostgreSQL is not installed and could not be" >&2
  exit 1
fi
FOOTNOTE_PGDATA=$(mktemp -d /tmp/footnote-pg.XXXXXX)
# The first free loopback port from 55432: another run on the machine may
# hold one.
FOOTNOTE_PGPORT=${FOOTNOTE_PGPORT:-55432}
while (exec 3<>"/dev/tcp/127.0.0.1/$FOOTNOTE_PGPORT") 2>/dev/null; do
  FOOTNOTE_PGPORT=$((FOOTNOTE_PGPORT + 1))
done
FOOTNOTE_PGPASS="ci-$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')"
printf '%s\n' "$FOOTNOTE_PGPASS" > "$FOOTNOTE_PGDATA/pwfile"
chmod 700 "$FOOTNOTE_PGDATA"
# PostgreSQL refuses to run as root: as root (CI), run it as postgres.
if [ "$(id -u)" = 0 ]; then
  chown -R postgres:postgres "$FOOTNOTE_PGDATA"
  as_postgres() { runuser -u postgres -- "$@"; }
else
  as_postgres() { "$@"; }
fi
as_postgres "$PGBIN/initdb" -D "$FOOTNOTE_PGDATA/data" -U postgres --pwfile="$FOOTNOTE_PGDATA/pwfile" \
  --auth-local=trust --auth-host=scram-sha-256 -E UTF8 >/dev/null
rm -f "$FOOTNOTE_PGDATA/pwfile"
as_postgres "$PGBIN/pg_ctl" -D "$FOOTNOTE_PGDATA/data" -l "$FOOTNOTE_PGDATA/server.log" -w -t 60 \
  -o "-c listen_addresses=127.0.0.1 -p $FOOTNOTE_PGPORT -k $FOOTNOTE_PGDATA -c max_connections=200 -c fsync=off" start >/dev/null
footnote_stop_postgres() {
  as_postgres "$PGBIN/pg_ctl" -D "$FOOTNOTE_PGDATA/data" -m fast -w stop >/dev/null 2>&1 || true
  rm -rf "$FOOTNOTE_PGDATA"
}
trap footnote_stop_postgres EXIT
export FOOTNOTE_TEST_POSTGRES="postgres://postgres:$FOOTNOTE_PGPASS@127.0.0.1:$FOOTNOTE_PGPORT/postgres?sslmode=disable"
echo "PostgreSQL $("$PGBIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$FOOTNOTE_PGPORT for the tests"
