"""The domain is plain Python: importing it loads no database, web or validation library."""

import subprocess
import sys

FORBIDDEN = ("sqlalchemy", "fastapi", "pydantic", "starlette", "jinja2", "alembic", "psycopg")


def test_importing_the_domain_imports_no_adapter_library() -> None:
    code = (
        "import sys, pkgutil, importlib, smolny.domain as d\n"
        "for m in pkgutil.iter_modules(d.__path__):\n"
        "    importlib.import_module(f'smolny.domain.{m.name}')\n"
        f"print(sorted(n for n in {FORBIDDEN!r} if n in sys.modules))"
    )
    loaded = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.strip()
    assert loaded == "[]"


def test_the_check_would_notice_a_forbidden_import() -> None:
    code = "import sys, smolny.store.tables\nprint('sqlalchemy' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "True"
