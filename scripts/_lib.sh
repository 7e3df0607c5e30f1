# Shared helpers for scripts/run-demo and scripts/run-tests. Sourced, not run.
# shellcheck shell=bash
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
PY=${PYTHON:-python3}
DB_HOST=${PGHOST:-127.0.0.1}
DB_PORT=${PGPORT:-5432}
DB_USER=${PGUSER:-$(id -un)}
# Every addon of the repository (a directory with an installable __manifest__.py).
MODULES=$(cd "$ROOT" && for m in */__manifest__.py; do
    d=${m%/__manifest__.py}
    python3 -c "import ast,sys; sys.exit(0 if ast.literal_eval(open('$m').read()).get('installable', True) else 1)" && printf '%s,' "$d"
done | sed 's/,$//')

log() { printf '\n== %s\n' "$*"; }

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

apt_install() {
    # Debian packages, installed only when missing.
    local missing=()
    for p in "$@"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
    [ ${#missing[@]} = 0 ] && return 0
    log "installing Debian packages: ${missing[*]}"
    as_root apt-get update -qq
    DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "${missing[@]}" >/dev/null
}

odoo_importable() {
    "$PY" -c "import odoo.release as r; assert r.version_info[:2] == (17, 0)" 2>/dev/null
}

pg_answers() {
    pg_isready -q -h "$DB_HOST" -p "$DB_PORT" 2>/dev/null
}

ensure_postgres() {
    # Start the local PostgreSQL, installing Debian's package when there is none.
    # Odoo connects as the current OS user (never as `postgres`).
    case "$DB_HOST" in
        127.0.0.1|localhost|::1|/*) ;;
        *)  # A remote server (docker-compose's "db"): wait for it, never install one here.
            for _ in $(seq 60); do pg_answers && break; sleep 1; done
            pg_answers || { echo "PostgreSQL does not answer on $DB_HOST:$DB_PORT" >&2; return 1; } ;;
    esac
    if ! pg_answers; then
        command -v pg_ctlcluster >/dev/null 2>&1 || apt_install postgresql postgresql-client
        local ver
        ver=$(ls /etc/postgresql 2>/dev/null | sort -V | tail -n 1)
        if [ -z "$ver" ]; then
            apt_install postgresql
            ver=$(ls /etc/postgresql | sort -V | tail -n 1)
        fi
        log "starting PostgreSQL $ver"
        as_root pg_ctlcluster --skip-systemctl-redirect "$ver" main start 2>/dev/null \
            || as_root pg_ctlcluster "$ver" main start
        for _ in $(seq 30); do pg_answers && break; sleep 1; done
    fi
    pg_answers || { echo "PostgreSQL does not answer on $DB_HOST:$DB_PORT" >&2; return 1; }
    if ! psql -h "$DB_HOST" -p "$DB_PORT" -U "$DB_USER" -Atqc "select 1" postgres >/dev/null 2>&1; then
        # First run on a fresh server: create a superuser role for this OS user.
        log "creating PostgreSQL role $DB_USER"
        as_root runuser -u postgres -- createuser -s "$DB_USER" 2>/dev/null \
            || as_root su postgres -c "createuser -s $DB_USER"
        as_root runuser -u postgres -- psql -qc "ALTER ROLE \"$DB_USER\" PASSWORD '$DB_USER'" 2>/dev/null || true
    fi
}

ensure_python_requirements() {
    # OCA addons and test tools, into the Python that imports Odoo.
    if ! "$PY" -c "import odoo.addons.helpdesk_mgmt, odoo.addons.queue_job, pytest_odoo, hypothesis, ruff" 2>/dev/null; then
        log "installing requirements.txt"
        "$PY" -m pip install -q -r "$ROOT/requirements.txt"
    fi
}

odoo_conf() {
    # A throw-away Odoo configuration file for this run.
    local conf=$1 port=${2:-8069}
    cat > "$conf" <<CONF
[options]
db_host = $DB_HOST
db_port = $DB_PORT
db_user = $DB_USER
db_password = ${PGPASSWORD:-False}
addons_path = $ROOT
http_port = $port
admin_passwd = admin
list_db = True
data_dir = ${ODOO_DATA_DIR:-$HOME/.local/share/Odoo}
CONF
}
