# Shared by the bench scripts (sourced): a private PostgreSQL server under "$work", which the caller creates.
pgbin="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)"
[ -x "$pgbin/pgbench" ] || { echo "PostgreSQL binaries not found: apt-get install -y postgresql" >&2; exit 2; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

# Starts PostgreSQL on a free loopback port (sets pgport), its data in "$work/data"; runs as `postgres` when we are root.
start_postgres() {
  [ "$(id -u)" = 0 ] && chown postgres:postgres "$work"
  pgport="$(free_port)"
  as_pg "$pgbin/initdb" -D "$work/data" -U postgres --auth=trust -E UTF8 >/dev/null
  cat >> "$work/data/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $pgport
unix_socket_directories = '$work'
max_connections = 200
shared_buffers = 256MB
CONF
  as_pg "$pgbin/pg_ctl" -D "$work/data" -l "$work/pg.log" -w start >/dev/null
}

stop_postgres() { as_pg "$pgbin/pg_ctl" -D "$work/data" -m fast -w stop >/dev/null 2>&1 || true; }
