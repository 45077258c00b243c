#!/usr/bin/env bash
# Run once by the postgres image on an empty data directory (docker-entrypoint-initdb.d): one login role
# and one database, owned by that role, for each service. A service can reach only its own database.
# The passwords come from the environment; psql's :'name' quoting keeps them out of the SQL text.
set -euo pipefail

create_service_database() {
  local name="$1" password="$2"
  if [ -z "$password" ]; then
    echo "init-databases: the password of $name is empty" >&2
    exit 1
  fi
  psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres -v name="$name" -v password="$password" <<'SQL'
CREATE ROLE :"name" LOGIN PASSWORD :'password';
CREATE DATABASE :"name" OWNER :"name";
REVOKE ALL ON DATABASE :"name" FROM PUBLIC;
SQL
}

create_service_database kv_entry "${KV_ENTRY_DB_PASSWORD:-}"
create_service_database kv_secrets "${KV_SECRETS_DB_PASSWORD:-}"
create_service_database kv_audit "${KV_AUDIT_DB_PASSWORD:-}"
