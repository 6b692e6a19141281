"""The words the pages show for the engine's values (kinds of body, methods, powers,
statuses, ...): the values are English names in the ledger and the API; the pages translate
them here.

Each is marked here for the catalogue; the `word` filter translates a value where shown
(`{{ council.kind.value|word }}`), and leaves a value with no word as it is (a name).
"""

from __future__ import annotations

from typing import Any

from smolny.services.composition import Change
from smolny.web.i18n import N_, gettext, ngettext

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
    # the delegates of no faction (domain.composition.NON_PARTY)
    "Non-party": N_("Non-party"),
    # counting methods (ElectionMethod values, and METHOD_NAMES)
    "plurality": N_("plurality"),
    "dhondt": N_("D'Hondt"),
    "D'Hondt": N_("D'Hondt"),
    "sainte-lague": N_("Sainte-Laguë"),
    "Sainte-Laguë": N_("Sainte-Laguë"),
    "hare": N_("Hare quota"),
    "Hare quota": N_("Hare quota"),
    "irv": N_("instant runoff"),
    "instant runoff": N_("instant runoff"),
    "scottish-stv": N_("STV (Scottish rules)"),
    "STV (Scottish rules)": N_("STV (Scottish rules)"),
    "meek-stv": N_("STV (Meek)"),
    "STV (Meek)": N_("STV (Meek)"),
    "schulze": N_("Schulze"),
    "Schulze": N_("Schulze"),
    "ranked-pairs": N_("ranked pairs"),
    "ranked pairs": N_("ranked pairs"),
    # kinds of election (ElectionKind)
    "delegates": N_("delegates"),
    "by-election": N_("by-election"),
}


def word(value: object) -> str:
    """The value's word in the request's language (the value itself if it has none)."""
    text = str(getattr(value, "value", value))
    return gettext(WORDS[text]) if text in WORDS else text


def change_text(change: Change) -> str:
    """A change of a council's composition in the request's language."""
    facts: dict[str, Any] = change.facts
    if change.kind == "delegates":
        what = ngettext(
            "%(where)s elected %(num)d delegate",
            "%(where)s elected %(num)d delegates",
            facts["seats"],
        ) % {"where": facts["where"], "num": facts["seats"]}
    elif change.kind == "by-election":
        what = gettext("by-election at %(where)s") % facts
    elif change.kind == "committee":
        what = ngettext(
            "%(council)s elected (%(num)d seat)",
            "%(council)s elected (%(num)d seats)",
            facts["seats"],
        ) % {"council": facts["council"], "num": facts["seats"]}
    elif change.kind == "recall":
        said = {
            "holder": facts["holder"],
            "where": facts["where"],
            "for": facts["votes_for"],
            "against": facts["votes_against"],
        }
        outcome = (
            gettext("recall of %(holder)s (%(where)s): carried, %(for)d for, %(against)d against")
            if facts["carried"]
            else gettext("recall of %(holder)s (%(where)s): lost, %(for)d for, %(against)d against")
        ) % said
        electors = ngettext("%(num)d elector", "%(num)d electors", facts["electorate"]) % {
            "num": facts["electorate"]
        }
        return f"{outcome}, {electors}"
    elif change.kind == "resignation":
        return gettext("%(holder)s resigned") % facts
    else:
        return change.text
    return gettext("%(what)s, by %(method)s") % {"what": what, "method": word(facts["method"])}
