"""End-to-end fixtures: the real `smolny` command and server as subprocesses, and Chromium.

Every server runs `python -m smolny serve` on a free port against a database of the backend
under test (SQLite and PostgreSQL, like the integration tests). The demo federation is loaded
once per backend and session with `smolny demo --no-serve`; tests get copies of it.
"""

from __future__ import annotations

import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright

from tests.conftest import PostgresServer, missing

CHROMIUM = Path("/usr/bin/chromium")

# Live updates cross a server, an event stream and a browser on a machine that is running the
# rest of the suite beside them: a loaded CI machine needs more than the default five seconds.
expect.set_options(timeout=15_000)
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
STARTUP_TIMEOUT = 60.0  # a machine busy with tests in parallel starts a server slowly
BACKENDS = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]


# -- the command -------------------------------------------------------------------------------


def smolny_env(database_url: str, **settings: str | None) -> dict[str, str]:
    """The environment of a `smolny` subprocess: ours, with the SMOLNY_* settings given
    (None leaves one unset), a wide terminal so that messages are not wrapped, and no colour."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("SMOLNY_")}
    env.update(SMOLNY_DATABASE_URL=database_url, COLUMNS="250", NO_COLOR="1", TERM="dumb")
    env.pop("FORCE_COLOR", None)
    for name, value in settings.items():
        if value is not None:
            env[name] = value
    return env


def run_smolny(
    database_url: str, *args: str, cwd: Path | None = None, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    """Run `smolny ARGS...` on the database, as a user would, and capture what it says."""
    return subprocess.run(
        [sys.executable, "-m", "smolny", *args],
        env=smolny_env(database_url),
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def said(result: subprocess.CompletedProcess[str]) -> str:
    """Everything a command printed, whitespace collapsed (the terminal may wrap lines)."""
    return " ".join((result.stdout + result.stderr).split())


# -- the server --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Server:
    url: str
    token: str | None
    database_url: str

    def client(self, *, authorized: bool = True) -> httpx.Client:
        headers = {"Authorization": f"Bearer {self.token}"} if authorized and self.token else {}
        return httpx.Client(base_url=self.url, headers=headers, timeout=30)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@contextmanager
def serving(database_url: str, token: str | None, logs: Path) -> Iterator[Server]:
    """`smolny serve` on a free port until the block ends; fails showing the server's
    stderr if it does not answer GET / within STARTUP_TIMEOUT seconds."""
    logs.mkdir(parents=True, exist_ok=True)
    port = free_port()
    env = smolny_env(
        database_url, SMOLNY_ADMIN_TOKEN=token, SMOLNY_HOST="127.0.0.1", SMOLNY_PORT=str(port)
    )
    stdout_path = logs / f"server-{port}.out"
    stderr_path = logs / f"server-{port}.err"
    url = f"http://127.0.0.1:{port}"
    with stdout_path.open("w") as stdout, stderr_path.open("w") as stderr:
        process = subprocess.Popen(
            [sys.executable, "-m", "smolny", "serve", "--port", str(port)],
            env=env,
            cwd=logs,
            stdout=stdout,
            stderr=stderr,
        )
        try:
            _wait_until_answering(process, url, stderr_path)
            yield Server(url=url, token=token, database_url=database_url)
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)


def _wait_until_answering(process: subprocess.Popen[bytes], url: str, stderr: Path) -> None:
    deadline = time.monotonic() + STARTUP_TIMEOUT
    problem = "no answer yet"
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(
                f"the server exited with status {process.returncode} before answering; "
                f"its stderr:\n{stderr.read_text()}"
            )
        try:
            response = httpx.get(url + "/", timeout=2)
        except httpx.TransportError as error:
            problem = repr(error)
        else:
            if response.status_code == 200:
                return
            problem = f"GET / answered {response.status_code}"
        time.sleep(0.1)
    pytest.fail(
        f"the server at {url} did not answer within {STARTUP_TIMEOUT:.0f} s ({problem}); "
        f"its stderr:\n{stderr.read_text()}"
    )


@pytest.fixture
def token() -> str:
    return secrets.token_urlsafe(24)


@pytest.fixture
def server(database_url: str, token: str, tmp_path: Path) -> Iterator[Server]:
    """A real server on a fresh migrated database, accepting changes with `token`."""
    with serving(database_url, token, tmp_path / "logs") as running:
        yield running


@pytest.fixture
def read_only_server(database_url: str, tmp_path: Path) -> Iterator[Server]:
    """A real server started without SMOLNY_ADMIN_TOKEN, on the same database as `server`."""
    with serving(database_url, None, tmp_path / "logs-read-only") as running:
        yield running


# -- the demo federation, loaded once per backend ---------------------------------------------


@dataclass
class DemoDatabase:
    """A database holding the demo, loaded through the CLI; never served itself: tests
    work on copies, so that none sees another's changes."""

    backend: str
    url: str
    directory: Path
    postgres: PostgresServer | None = None
    name: str = ""

    def copy(self) -> str:
        """The URL of a new database with the same content."""
        if self.postgres is not None:
            # CREATE DATABASE ... TEMPLATE needs the template without connections: every
            # process that touched it has exited.
            return self.postgres.create(f"smolny_e2e_{uuid.uuid4().hex[:10]}", template=self.name)
        source = Path(self.url.removeprefix("sqlite:///"))
        target = self.directory / f"copy-{uuid.uuid4().hex[:10]}.sqlite3"
        shutil.copy(source, target)
        for suffix in ("-wal", "-shm"):
            if source.with_name(source.name + suffix).exists():
                shutil.copy(source.with_name(source.name + suffix), f"{target}{suffix}")
        return f"sqlite:///{target}"


@pytest.fixture(scope="session", params=BACKENDS)
def shared_backend(request: pytest.FixtureRequest) -> str:
    """The backend of databases shared by several tests (a module's, or the demo's)."""
    return str(request.param)


@pytest.fixture(scope="module")
def module_database_url(
    shared_backend: str, request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> str:
    """A fresh migrated database for one module's tests (`database_url` is per test)."""
    if shared_backend == "sqlite":
        template: Path = request.getfixturevalue("sqlite_template")
        path = tmp_path_factory.mktemp("module-db") / "smolny.sqlite3"
        shutil.copy(template, path)
        return f"sqlite:///{path}"
    postgres: PostgresServer = request.getfixturevalue("postgres")
    return postgres.create(f"smolny_e2e_{uuid.uuid4().hex[:10]}", template=postgres.template)


@pytest.fixture(scope="session")
def demo_database(
    shared_backend: str, request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> DemoDatabase:
    directory = tmp_path_factory.mktemp(f"demo-{shared_backend}")
    if shared_backend == "sqlite":
        demo = DemoDatabase(shared_backend, f"sqlite:///{directory / 'demo.sqlite3'}", directory)
    else:
        postgres: PostgresServer = request.getfixturevalue("postgres")
        name = f"smolny_demo_{uuid.uuid4().hex[:10]}"
        demo = DemoDatabase(shared_backend, postgres.create(name), directory, postgres, name)
    for command in (["init"], ["demo", "--no-serve"]):
        # The demo replays Petrograd 1917 (about 2,000 events): give it time on a busy machine.
        result = run_smolny(demo.url, *command, cwd=directory, timeout=900)
        if result.returncode != 0:
            pytest.fail(f"`smolny {' '.join(command)}` failed:\n{result.stdout}{result.stderr}")
    return demo


@pytest.fixture(scope="module")
def demo_server(
    demo_database: DemoDatabase, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Server]:
    """A read-only server on a copy of the demo, shared by a module's tests."""
    url = demo_database.copy()
    with serving(url, None, tmp_path_factory.mktemp("demo-server")) as running:
        yield running


# -- the browser -------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Headless Chromium from the system (never a downloaded one)."""
    if not CHROMIUM.exists():
        missing(f"Chromium is not installed at {CHROMIUM}")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context()
    context.set_default_timeout(10_000)
    tab = context.new_page()
    yield tab
    context.close()


# -- accessibility -----------------------------------------------------------------------------

AXE = Path(__file__).parent / "vendor" / "axe.min.js"  # axe-core, vendored (MPL-2.0)
AXE_IMPACTS = ("serious", "critical")


def assert_accessible(page: Page, *, exclude: tuple[str, ...] = ()) -> None:
    """Run axe-core on the page as it is now and fail on any violation of impact serious or
    critical, naming each rule, why it matters and the elements that break it. `exclude`
    leaves out parts of the page (CSS selectors), for what another area owns."""
    page.add_script_tag(path=str(AXE))
    found = page.evaluate(
        """async (exclude) => {
            const context = exclude.length ? {exclude: exclude.map((s) => [s])} : document;
            const result = await axe.run(context, {resultTypes: ["violations"]});
            return result.violations.map((v) => ({
                id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.map((n) => n.target.join(" ") + ": " + n.failureSummary),
            }));
        }""",
        list(exclude),
    )
    serious = [v for v in found if v["impact"] in AXE_IMPACTS]
    lines = [
        f"{v['id']} ({v['impact']}): {v['help']}\n    " + "\n    ".join(v["nodes"][:5])
        for v in serious
    ]
    assert not serious, f"axe-core on {page.url}:\n" + "\n".join(lines)
