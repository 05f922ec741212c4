"""The README's production commands, run as written on a fresh folder and database.

The release block (check --deploy, migrate, collectstatic) and the processes block (gunicorn with
deploy/gunicorn.conf.py, a jobs worker) are read from the README and run with deploy/ctg.env.example, only
the database, the folders and the port changed. Then, over HTTP: the health endpoint, the login page with its
security headers, a hashed static file, and the HTTPS redirect.
"""

import http.client
import os
import re
import secrets
import signal
import socket
import subprocess
import time
from pathlib import Path
from urllib.parse import urlparse

import psycopg
import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parent.parent
ENV_IN_README = "/etc/ctg/ctg.env"
HOST = "ctg.example.fr"  # the host of deploy/ctg.env.example


def readme_block(marker: str) -> list[str]:
    readme = (ROOT / "README.md").read_text()
    block = re.search(rf"<!-- {marker} -->\n```sh\n(.*?)```", readme, re.S)
    assert block, f"Bloc « {marker} » introuvable dans le README."
    return [line for line in block.group(1).splitlines() if line.strip()]


def free_port() -> int:
    for port in range(8260, 8300):  # the ports of this project's test servers
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError("Aucun port libre entre 8260 et 8299.")


@pytest.fixture
def database_url():
    if not settings.IS_POSTGRESQL:
        yield "sqlite:///{db}"
        return
    url = urlparse(os.environ["DATABASE_URL"])
    name = f"test_{url.path.lstrip('/')}_prod_{os.environ.get('PYTEST_XDIST_WORKER', 'main')}"
    admin = url._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    yield url._replace(path=f"/{name}").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def write_env(tmp_path: Path, database_url: str, port: int) -> Path:
    overrides = {
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DATABASE_URL": database_url.format(db=tmp_path / "db.sqlite3"),
        "DJANGO_MEDIA_ROOT": str(tmp_path / "media"),
        "DJANGO_STATIC_ROOT": str(tmp_path / "static"),
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "GUNICORN_WORKERS": "2",
    }
    lines = []
    for line in (ROOT / "deploy" / "ctg.env.example").read_text().splitlines():
        name = line.split("=", 1)[0]
        lines.append(f"{name}={overrides.pop(name)}" if name in overrides else line)
    lines += [f"{name}={value}" for name, value in overrides.items()]
    env_file = tmp_path / "ctg.env"
    env_file.write_text("\n".join(lines) + "\n")
    return env_file


def clean_environment() -> dict:
    """The machine's environment without the test run's Django settings."""
    return {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("DJANGO_", "CTG_", "DATABASE_URL", "GUNICORN_", "PYTEST"))
    }


def get(port: int, path: str, headers: dict | None = None) -> http.client.HTTPResponse:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection.request("GET", path, headers={"Host": HOST, **(headers or {})})
    response = connection.getresponse()
    response.body = response.read()
    connection.close()
    return response


def wait_for_health(port: int, logs: Path, timeout: float = 90) -> http.client.HTTPResponse:
    deadline = time.monotonic() + timeout
    response = None
    while time.monotonic() < deadline:
        try:
            response = get(port, "/sante/?format=json")
            if response.status == 200:
                return response
        except OSError:
            pass
        time.sleep(0.5)
    output = "\n".join(log.read_text()[-2000:] for log in sorted(logs.glob("process-*.log")))
    raise AssertionError(f"/sante/ ne répond pas 200 : {response and (response.status, response.body)}\n{output}")


def test_the_readme_production_commands_run_as_written(tmp_path, database_url):
    port = free_port()
    env_file = write_env(tmp_path, database_url, port)
    release = readme_block("production:release")
    processes = readme_block("production:processes")
    assert release[0] == processes[0] == f"set -a; . {ENV_IN_README}; set +a"
    load_env = f"set -a; . {env_file}; set +a"

    script = "\n".join(["set -euo pipefail", load_env, *release[1:]])
    result = subprocess.run(
        ["bash", "-c", script], cwd=ROOT, env=clean_environment(), capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert "System check identified no issues" in result.stdout + result.stderr
    assert (tmp_path / "static" / "staticfiles.json").exists()

    started = []
    try:
        for number, command in enumerate(processes[1:]):
            with (tmp_path / f"process-{number}.log").open("w") as log:
                started.append(
                    subprocess.Popen(
                        ["bash", "-c", f"{load_env}\nexec {command}"],
                        cwd=ROOT,
                        env=clean_environment(),
                        stdout=log,
                        stderr=subprocess.STDOUT,
                        start_new_session=True,
                    )
                )
        health = wait_for_health(port, tmp_path)
        assert b'"OK"' in health.body and b"TaskQueue" in health.body

        login = get(port, "/connexion/", {"X-Forwarded-Proto": "https"})  # as the TLS proxy forwards it
        assert login.status == 200, login.body[:500]
        assert "Connexion" in login.body.decode()
        assert "script-src 'self'" in login.getheader("Content-Security-Policy")
        assert login.getheader("Strict-Transport-Security") == "max-age=31536000; includeSubDomains"
        assert "camera=()" in login.getheader("Permissions-Policy")
        assert login.getheader("X-Frame-Options") == "DENY"
        assert login.getheader("X-Content-Type-Options") == "nosniff"
        assert "Secure" in login.getheader("Set-Cookie")

        script_url = re.search(
            r'src="(/static/vendor/bootstrap/bootstrap\.bundle\.min\.[0-9a-f]+\.js)"', login.body.decode()
        )
        assert script_url, "Le script Bootstrap n'est pas servi sous un nom haché."
        static = get(port, script_url.group(1), {"X-Forwarded-Proto": "https"})
        assert static.status == 200 and b"sourceMappingURL=bootstrap.bundle.min." in static.body

        plain = get(port, "/connexion/")
        assert plain.status == 301 and plain.getheader("Location") == f"https://{HOST}/connexion/"

        worker_log = (tmp_path / "process-1.log").read_text()
        if settings.IS_POSTGRESQL:
            assert started[1].poll() is None, worker_log  # the worker keeps running
        else:
            assert "aucun worker n'est nécessaire" in worker_log  # SQLite: jobs run in the web process
        access_log = (tmp_path / "process-0.log").read_text()
        assert '"GET /connexion/ HTTP/1.1" 200' in access_log  # the access log is on stdout
    finally:
        for process in started:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in started:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
