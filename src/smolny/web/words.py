"""The words the pages show for the engine's values (kinds of body, powers, statuses, ...):
the values are English names in the ledger and the API; the pages translate them.

Each is marked here for the catalogue; the `word` filter translates a value where shown
(`{{ council.kind.value|word }}`), and leaves a value with no word as it is.
"""

from __future__ import annotations

from smolny.web.i18n import N_, gettext

WORDS = {
    # kinds of body (CouncilKind) and of constituency (ConstituencyKind)
    "council": N_("council"),
    "congress": N_("congress"),
    "committee": N_("committee"),
    "office": N_("office"),
    "workplace": N_("workplace"),
    "unit": N_("unit"),
    "branch": N_("branch"),
    "locality": N_("locality"),
}


def word(value: object) -> str:
    """The value's word in the request's language (the value itself if it has none)."""
    text = str(getattr(value, "value", value))
    return gettext(WORDS[text]) if text in WORDS else text
