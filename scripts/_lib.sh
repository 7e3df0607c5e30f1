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

# Odoo 17 is either a package importable by $PY (`$PY -m odoo`) or a source checkout
# (odoo-bin next to the odoo/ package and the addons/ folder), given by ODOO_SRC (the
# checkout) or ODOO_BIN (its odoo-bin), or found as odoo-bin on PATH when no package is
# importable. ODOO_ADDONS_PATH adds folders of addons (comma-separated) to the path.
ODOO_SRC=${ODOO_SRC:-}
if [ -z "$ODOO_SRC" ] && [ -n "${ODOO_BIN:-}" ]; then
    ODOO_SRC=$(dirname "$(readlink -f "$ODOO_BIN")")
fi
if [ -z "$ODOO_SRC" ] && ! "$PY" -c "import odoo.release" 2>/dev/null \
    && command -v odoo-bin >/dev/null 2>&1; then
    ODOO_SRC=$(dirname "$(readlink -f "$(command -v odoo-bin)")")
fi
if [ -n "$ODOO_SRC" ]; then
    if [ ! -f "$ODOO_SRC/odoo-bin" ] || [ ! -d "$ODOO_SRC/odoo" ]; then
        echo "ODOO_SRC=$ODOO_SRC is not an Odoo source checkout (no odoo-bin and odoo/ there)." >&2
        exit 2
    fi
    ODOO_SRC=$(cd "$ODOO_SRC" && pwd)
    # pytest-odoo and scripts/demo_setup.py import odoo: from the checkout.
    export PYTHONPATH="$ODOO_SRC${PYTHONPATH:+:$PYTHONPATH}"
fi

if [ -n "$ODOO_SRC" ]; then ODOO_CMD=("$PY" "$ODOO_SRC/odoo-bin"); else ODOO_CMD=("$PY" -m odoo); fi
odoo_run() { "${ODOO_CMD[@]}" "$@"; }

odoo_addons_path() {
    # The suite, the checkout's addons/ (a package install carries its own), extra folders.
    local path=$ROOT
    [ -n "$ODOO_SRC" ] && [ -d "$ODOO_SRC/addons" ] && path="$path,$ODOO_SRC/addons"
    [ -n "${ODOO_ADDONS_PATH:-}" ] && path="$path,$ODOO_ADDONS_PATH"
    printf '%s' "$path"
}

odoo_addons_found() {
    # Odoo's own addons (web, mail...) on the path, else one line saying what to set.
    local where
    where=$("$PY" - "$(odoo_addons_path)" <<'PY'
import os, sys
import odoo.addons
paths = [*odoo.addons.__path__, *sys.argv[1].split(",")]
print(any(os.path.isfile(os.path.join(p, "web", "__manifest__.py")) for p in paths))
PY
)
    [ "$where" = True ] && return 0
    echo "Odoo's own addons (web, mail...) are not on the addons path ($(odoo_addons_path)):" \
        "set ODOO_SRC to an Odoo 17 checkout with its addons/ folder, or ODOO_ADDONS_PATH to the folder holding them." >&2
    return 1
}

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
addons_path = $(odoo_addons_path)
http_port = $port
admin_passwd = admin
list_db = True
data_dir = ${ODOO_DATA_DIR:-$HOME/.local/share/Odoo}
CONF
}
