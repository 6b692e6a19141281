"""The minutes on paper: a printable page (A4, no navigation, one self-contained HTML file
with its styles inline) and the same page as PDF, printed by headless Chromium.

Chromium lays the page out exactly as a browser prints it, in any script (Cyrillic
included) with the fonts of the system; it runs as a separate program, one at a time per
core, with a time limit; the document's Content-Security-Policy lets it load nothing and run
no script.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import tempfile
import threading
from datetime import UTC, datetime
from pathlib import Path

from smolny.domain.errors import DomainError
from smolny.services.sittings import SittingView
from smolny.web.i18n import _, format_day
from smolny.web.pages import templates
from smolny.web.sittings import presence_chart

STATIC = Path(__file__).parent / "static"
STYLES = ("smolny.css", "sittings.css", "print.css")
PDF_TIMEOUT = 60.0  # seconds; a sitting's minutes print in two or three
# Each Chromium takes a few hundred megabytes: render at most this many PDFs at once.
_printers = threading.BoundedSemaphore(max(1, min(4, os.cpu_count() or 1)))


def css_string(text: str) -> str:
    """Text as a CSS string literal, every character but letters, digits and spaces escaped
    (so that nothing in it can end the string or the style element)."""
    # Six hex digits and a space: the space ends the escape (and is not part of the text).
    return '"' + "".join(c if c.isalnum() or c == " " else f"\\{ord(c):06x} " for c in text) + '"'


templates.env.filters["css_string"] = css_string


class PdfUnavailable(DomainError):
    """The PDF cannot be made on this server (no Chromium, or it failed); nothing changed."""

    code = "unavailable"


def page_of() -> tuple[str, str, str]:
    """The words around the page counters ("Page ", " of ", ""), which only CSS can fill in
    (a translation keeps both placeholders: the catalogue's test says so)."""
    before, rest = _("Page %(page)s of %(pages)s").split("%(page)s", 1)
    between, after = rest.split("%(pages)s", 1)
    return before, between, after


def minutes_print_html(view: SittingView, *, printed_at: datetime | None = None) -> str:
    """The minutes as one printable HTML document (styles inline: nothing else to load)."""
    template = templates.env.get_template("minutes_print.html")
    where = f"{view.council.name}, {format_day(view.sitting.day)}"
    return template.render(
        v=view,
        margin=_("Minutes: %(title)s") % {"title": where},  # in each page's margin
        # "Page 2 of 3": the words around the page counters, which only CSS can write
        page_of=page_of(),
        chart=presence_chart(
            view.timeline, title=_("Present and quorum, %(where)s") % {"where": view.where}
        ),
        styles="\n".join((STATIC / name).read_text(encoding="utf-8") for name in STYLES),
        printed_at=printed_at or datetime.now(UTC),
    )


def _program(chromium: str) -> str:
    found = shutil.which(chromium)
    if found is None:
        raise PdfUnavailable(
            f"PDF needs Chromium, and there is none at {chromium}: install it "
            "(on Debian or Ubuntu: apt-get install chromium) or set SMOLNY_CHROMIUM to the "
            "Chromium or Chrome program"
        )
    return found


def printable_hint(sitting_id: int) -> str:
    """What to do without a PDF: the printable page prints to PDF from any browser."""
    return (
        f"meanwhile, open the printable page /sittings/{sitting_id}/minutes/print and print "
        "it to PDF from the browser"
    )


def html_to_pdf(html: str, *, chromium: str, timeout: float = PDF_TIMEOUT) -> bytes:
    """Print an HTML document to PDF with headless Chromium (A4, as the document's @page
    says; no header or footer of Chromium's own)."""
    program = _program(chromium)
    with _printers, tempfile.TemporaryDirectory(prefix="smolny-pdf-") as work:
        source = Path(work) / "minutes.html"
        target = Path(work) / "minutes.pdf"
        source.write_text(html, encoding="utf-8")
        command = [
            program,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-extensions",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            f"--user-data-dir={Path(work) / 'profile'}",
            "--no-pdf-header-footer",
            f"--print-to-pdf={target}",
            source.as_uri(),
        ]
        try:
            # A session of its own: on a timeout the whole of Chromium (its renderer and
            # helper processes too) is stopped, not only the program we started.
            process = subprocess.Popen(
                command,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
                start_new_session=True,
            )
        except OSError as error:
            raise PdfUnavailable(f"Chromium ({program}) could not be started: {error}") from None
        try:
            _, stderr = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.communicate()
            raise PdfUnavailable(
                f"Chromium ({program}) did not print the PDF within {timeout:g} s"
            ) from None
        pdf = target.read_bytes() if target.exists() else b""
        if not pdf.startswith(b"%PDF"):
            said = stderr.decode("utf-8", "replace").strip().splitlines()
            raise PdfUnavailable(
                f"Chromium ({program}) printed no PDF (exit status {process.returncode})"
                + (f": {said[-1]}" if said else "")
            )
        return pdf
