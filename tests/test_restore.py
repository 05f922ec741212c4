"""Backup and restore (README « Sauvegarde et restauration »): a pg_dump of a database full of demo data,
restored with pg_restore into a fresh database, holds exactly the same rows in every table and the same
sequence positions (the next row created after a restore gets a fresh id)."""

import os
import shutil
import subprocess
import uuid

import psycopg
import pytest
from django.conf import settings
from django.db import connection

from conventions.dossier.demo import demo_load

pytestmark = [
    pytest.mark.skipif(
        not settings.IS_POSTGRESQL,
        reason="pg_dump/pg_restore sauvegardent PostgreSQL, la base de production ; la base SQLite de la "
        "démonstration se sauvegarde en copiant son fichier (lancer avec DATABASE_URL=postgres://…)",
    ),
    pytest.mark.skipif(not shutil.which("pg_dump"), reason="pg_dump absent de cette machine"),
]


def _conninfo(name: str) -> dict:
    db = connection.settings_dict
    return {
        "dbname": name,
        "host": db["HOST"] or "127.0.0.1",
        "port": db["PORT"] or 5432,
        "user": db["USER"] or "postgres",
        "password": db["PASSWORD"] or None,
    }


def _tables_and_rows(name: str) -> dict[str, list]:
    with psycopg.connect(**{k: v for k, v in _conninfo(name).items() if v is not None}) as conn:
        tables = [
            row[0]
            for row in conn.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
            ).fetchall()
        ]
        content = {}
        for table in tables:
            rows = conn.execute(f'SELECT * FROM "{table}"').fetchall()  # noqa: S608 — names from the catalogue
            content[table] = sorted(rows, key=repr)
        sequences = conn.execute(
            "SELECT sequencename, last_value FROM pg_sequences WHERE schemaname = 'public' ORDER BY 1"
        ).fetchall()
        content["(séquences)"] = sequences
    return content


def _env() -> dict:
    env = dict(os.environ)
    if connection.settings_dict["PASSWORD"]:
        env["PGPASSWORD"] = connection.settings_dict["PASSWORD"]
    return env


def _cli(name: str) -> list[str]:
    info = _conninfo(name)
    return ["-h", str(info["host"]), "-p", str(info["port"]), "-U", info["user"]]


@pytest.mark.django_db(transaction=True)  # pg_dump sees only what is committed
def test_a_dump_restored_into_a_fresh_database_is_identical(tmp_path):
    demo_load(full_reference=False)
    source = connection.settings_dict["NAME"]
    fresh = f"{source}_restore_{uuid.uuid4().hex[:8]}"
    dump = tmp_path / "ctg.dump"
    subprocess.run(["pg_dump", *_cli(source), "-Fc", "-f", str(dump), source], check=True, env=_env())
    subprocess.run(["createdb", *_cli(source), fresh], check=True, env=_env())
    try:
        subprocess.run(
            ["pg_restore", *_cli(source), "--no-owner", "--exit-on-error", "-d", fresh, str(dump)],
            check=True,
            env=_env(),
        )
        before, after = _tables_and_rows(source), _tables_and_rows(fresh)
        assert list(before) == list(after)
        different = [table for table in before if before[table] != after[table]]
        rows = sum(len(before[table]) for table in before)
        print(f"\nRestauration : {len(before) - 1} tables, {rows} lignes, {len(different)} différence(s)")
        assert different == []
        assert rows > 1000  # the demo is there: the comparison compares something
    finally:
        subprocess.run(["dropdb", *_cli(source), "--if-exists", fresh], check=True, env=_env())
