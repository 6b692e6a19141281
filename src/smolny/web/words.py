"""The words the pages show for the engine's values (kinds of body, methods, powers,
statuses, ...): the values are English names in the ledger and the API; the pages translate
them here.

Each is marked here for the catalogue; the `word` filter translates a value where shown
(`{{ council.kind.value|word }}`), and leaves a value with no word as it is (a name).
"""

from __future__ import annotations

import re
from fractions import Fraction
from typing import Any

from smolny.domain.federation import RecallBasis, RecallRule
from smolny.services import sittings as sittings_words
from smolny.services.composition import Change
from smolny.services.sittings import LogEntry
from smolny.web.i18n import N_, format_day, gettext, ngettext, pgettext


def _p(context: str, message: str) -> tuple[str, str]:
    """Marks a text with its context for the catalogue (`make messages` knows `_p`)."""
    return context, message


WORDS: dict[str, str | tuple[str, str]] = {
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
    "delegates": _p("election kind", "delegates"),
    "by-election": N_("by-election"),
    # powers of bodies (Power)
    "act-between-sittings": N_("act-between-sittings"),
    "convene": N_("convene"),
    "chair": N_("chair"),
    "keep-minutes": N_("keep-minutes"),
    "issue-orders": N_("issue-orders"),
    "countersign": N_("countersign"),
    "sanction-factions": N_("sanction-factions"),
    "check-credentials": N_("check-credentials"),
    # parts of a congress's credentials and of a recall vote (web/congress.py)
    "Seated": N_("Seated"),
    "Refused": N_("Refused"),
    "Left since": N_("Left since"),
    "Not presented": N_("Not presented"),
    "For": N_("For"),
    "Against": N_("Against"),
    "Abstained": N_("Abstained"),
    "Did not vote": N_("Did not vote"),
    # a petition's status (domain.congress.STATUS_NAMES)
    "collecting signatures": N_("collecting signatures"),
    "threshold reached: goes to a recall vote": N_("threshold reached: goes to a recall vote"),
    "recall carried": N_("recall carried"),
    "recall lost: the delegate stays": N_("recall lost: the delegate stays"),
    "lapsed: the mandate ended otherwise": N_("lapsed: the mandate ended otherwise"),
    # an order's status for a unit (domain.orders.STATUS_TEXT), a conflict's kind, a
    # faction's state, a sanction's kind
    "valid": N_("valid"),
    "awaiting countersignature": N_("awaiting countersignature"),
    "refused": N_("refused"),
    "withdrawn": N_("withdrawn"),
    "not addressed": N_("not addressed"),
    "direct": N_("direct"),
    "concurrent": N_("concurrent"),
    "active": N_("active"),
    "suspended": N_("suspended"),
    "banned": N_("banned"),
    "suspension": N_("suspension"),
    "ban": N_("ban"),
    # what an election's proportionality is measured on (services.analytics)
    "list votes": N_("list votes"),
    "votes": N_("votes"),
    "first preferences": N_("first preferences"),
    # a choice, a vote's mode and outcome, a majority rule (services.sittings, voting.majority)
    "for": N_("for"),
    "against": N_("against"),
    "abstain": N_("abstain"),
    "abstaining": N_("abstaining"),
    "roll-call vote": N_("roll-call vote"),
    "secret vote": N_("secret vote"),
    "vote by show of hands": N_("vote by show of hands"),
    "open": N_("open"),
    "carried": N_("carried"),
    "lost": N_("lost"),
    "tied": N_("tied"),
    "void": N_("void"),
    "simple majority: more for than against; abstentions do not count": N_(
        "simple majority: more for than against; abstentions do not count"
    ),
    "majority of the votes cast, abstentions included": N_(
        "majority of the votes cast, abstentions included"
    ),
    "majority of all members of the body": N_("majority of all members of the body"),
    "two-thirds majority of the votes for and against": N_(
        "two-thirds majority of the votes for and against"
    ),
    "two-thirds majority of the votes cast, abstentions included": N_(
        "two-thirds majority of the votes cast, abstentions included"
    ),
    "two-thirds majority of all members of the body": N_(
        "two-thirds majority of all members of the body"
    ),
    # a sitting's status, an agenda item's kind, a party line (domain.sittings)
    "convened": N_("convened"),
    "pending": N_("pending"),
    "waiting": N_("waiting"),
    "speaking": N_("speaking"),
    "done": N_("done"),
    "closed": N_("closed"),
    "motion": N_("motion"),
    "report": N_("report"),
    "election": N_("election"),
    "other": N_("other"),
    # a row of a members' import (services.imports.RowStatus)
    "new": N_("new"),
    "changed": N_("changed"),
    "unchanged": N_("unchanged"),
    # how a mandate ended (MandateEnd)
    "ended": N_("ended"),
    "recall": N_("recall"),
    "resignation": N_("resignation"),
    "term": N_("term"),
    "unseated": N_("unseated"),
}


def lag_target(text: str) -> str:
    """What a body's lag is measured against (services.analytics: "against ...") in the
    request's language."""
    fixed = {
        "against its lower councils": N_("against its lower councils"),
        "against its base": N_("against its base"),
    }
    if text in fixed:
        return gettext(fixed[text])
    for english, message in _AGAINST:
        if text.startswith(english):
            return gettext(message) % {"name": text[len(english) :]}
    return text


_AGAINST = (
    ("against the lower councils of ", N_("against the lower councils of %(name)s")),
    ("against the base of ", N_("against the base of %(name)s")),
    ("against ", N_("against %(name)s")),
)


def who_signs(text: str) -> str:
    """Who signs a petition (services.petitions.who_signs) in the request's language."""
    for english, message in _WHO_SIGNS:
        if text.startswith(english):
            return gettext(message) % {"name": text[len(english) :]}
    return text


_WHO_SIGNS = (
    ("the sitting delegates of ", N_("the sitting delegates of %(name)s")),
    ("the members of ", N_("the members of %(name)s")),
)


def recall_rule_text(rule: RecallRule) -> str:
    """A recall rule (RecallRule.describe) in the request's language."""
    members = rule.basis is RecallBasis.MEMBERS
    if rule.share == Fraction(1, 2):
        return (
            gettext("a majority of its members")
            if members
            else gettext("a majority of the votes cast")
        )
    share = {"share": f"{rule.share.numerator}/{rule.share.denominator}"}
    if members:
        return gettext("more than %(share)s of its members") % share
    return gettext("more than %(share)s of the votes cast") % share


def recorded_rule_text(text: str) -> str:
    """A recall rule as a recall vote recorded it (RecallRule.describe), in the request's
    language; a text that is not such a rule stays as it is."""
    found = re.fullmatch(
        r"(?:a majority|more than (\d+)/(\d+)) of (its members|the votes cast)", text
    )
    if found is None:
        return text
    share = Fraction(int(found[1]), int(found[2])) if found[1] else Fraction(1, 2)
    basis = RecallBasis.MEMBERS if found[3] == "its members" else RecallBasis.VOTES_CAST
    return recall_rule_text(RecallRule(share=share, basis=basis))


# Words that mean another thing in another place: a unit's kind "office" is an
# institution, a body's kind "office" is a post.
UNIT_KINDS = {
    "regiment": _p("unit kind", "regiment"),
    "company": _p("unit kind", "company"),
    "ship": _p("unit kind", "ship"),
    "depot": _p("unit kind", "depot"),
    "workplace": _p("unit kind", "workplace"),
    "office": _p("unit kind", "office"),
    "other": _p("unit kind", "other"),
}
AUTHORITY_KINDS = {
    "government": _p("authority kind", "government"),
    "military-command": _p("authority kind", "military-command"),
    "employer": _p("authority kind", "employer"),
    "other": _p("authority kind", "other"),
}


def word(value: object, place: str | None = None) -> str:
    """The value's word in the request's language (the value itself if it has none);
    `place` "unit" reads it as a unit's or an outside authority's kind."""
    text = str(getattr(value, "value", value))
    kinds = {"unit": UNIT_KINDS, "authority": AUTHORITY_KINDS}.get(place or "", {})
    if text in kinds:
        return pgettext(*kinds[text])
    found = WORDS.get(text)
    if isinstance(found, tuple):
        return pgettext(*found)
    return gettext(found) if found is not None else text


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


def log_text(entry: LogEntry) -> str:
    """A line of a sitting's record (services.sittings.LogEntry) in the request's language."""
    facts: dict[str, Any] = entry.facts
    kind = entry.kind
    if kind == "convened":
        return gettext("Sitting convened: %(title)s (%(day)s)") % {
            "title": facts["title"],
            "day": format_day(facts["day"]),
        }
    if kind == "opened":
        if facts["chair"]:
            return gettext("Sitting opened; in the chair: %(name)s") % {"name": facts["chair"]}
        return gettext("Sitting opened")
    if kind in ("checked-in", "left"):
        said = (
            ngettext("%(num)d delegate checked in", "%(num)d delegates checked in", facts["count"])
            if kind == "checked-in"
            else ngettext("%(num)d delegate left", "%(num)d delegates left", facts["count"])
        ) % {"num": facts["count"]}
        return f"{said}: {', '.join(facts['names'])}" if facts["names"] else said
    if kind == "walkout":
        who = (
            gettext("the %(factions)s") % {"factions": ", ".join(facts["factions"])}
            if facts["factions"]
            else gettext("delegates")
        )
        count = ngettext("%(num)d delegate", "%(num)d delegates", facts["count"]) % {
            "num": facts["count"]
        }
        return gettext("Walkout of %(who)s (%(count)s): “%(statement)s”") % {
            "who": who,
            "count": count,
            "statement": facts["statement"],
        }
    if kind.startswith("quorum-"):
        message = {
            "quorum-lost": N_("Quorum lost (%(present)s present, %(needed)s needed)"),
            "quorum-reached": N_("Quorum reached (%(present)s present, %(needed)s needed)"),
            "quorum-regained": N_("Quorum regained (%(present)s present, %(needed)s needed)"),
        }[kind]
        return gettext(message) % facts
    if kind == "item":
        return gettext("Item %(position)s: %(title)s") % facts
    if kind == "floor":
        return gettext("%(name)s has the floor") % facts
    if kind == "tabled":
        what = (
            gettext("Amendment %(number)s to motion %(parent)s")
            % {"number": facts["id"], "parent": facts["parent"]}
            if facts["parent"]
            else gettext("Motion %(number)s") % {"number": facts["id"]}
        )
        return gettext("%(what)s tabled by %(who)s: %(title)s") % {
            "what": what,
            "who": facts["by"],
            "title": facts["title"],
        }
    if kind == "vote-opened":
        mode = word(sittings_words.MODE_WORDS[facts["mode"]])
        return gettext("%(mode)s on %(title)s") % {
            "mode": mode[:1].upper() + mode[1:],
            "title": facts["title"],
        }
    if kind == "vote-closed":
        from smolny.web.sittings import result_words  # the pages' words for a result

        return f"{facts['title']}: {result_words(facts['vote'])}"
    if kind == "line":
        return gettext("%(faction)s binds its delegates to vote %(choice)s on %(title)s") % {
            "faction": facts["faction"],
            "choice": word(facts["choice"]),
            "title": facts["title"],
        }
    if kind == "elected":
        return gettext("%(body)s elected (%(method)s): %(names)s") % {
            "body": facts["body"],
            "method": word(facts["method"]),
            "names": ", ".join(facts["names"]) or gettext("no one"),
        }
    if kind == "closed":
        return gettext("Sitting closed")
    return entry.text
