"""The multiverse appendix's readings (``book/multiverse.md``): one sentence per headline
result saying how many combinations of choices agree with this run's own, and which
choices move it most (:mod:`datasaveslives.analysis.multiverse`)."""

from __future__ import annotations

from collections.abc import Mapping

from datasaveslives.analysis.multiverse import ALPHA, BY_KEY, Reading
from datasaveslives.core.choices import Choice, Declaration
from datasaveslives.report import display

# Each choice as a noun phrase ("... moves it most").
CHOICE_NAMES: dict[str, str] = {
    "weeks": "where a week starts",
    "hashtag_rule": "which posts carry the hashtag",
    "deleted_posts": "whether deleted posts count",
    "window_start": "when the window starts",
    "window_end": "when the window ends",
    "share_edges": "what links two accounts",
    "direction": "whether links have a direction",
    "weights": "whether links are weighted",
    "algorithm": "the community method",
    "resolution": "the resolution",
    "stop_words": "the stop-word list",
    "activity_groups": "the activity groups' bounds",
}


def value(key: str, x: float | None) -> str:
    """An estimate of result ``key`` as the appendix writes it."""
    if x is None:
        return "undefined"
    h = BY_KEY[key]
    if h.percent:
        return display.percent(x, 1)
    if key == "groups":
        return f"{x:,.0f}"
    return display.stat(x, 3)


def _of(n: int, total: int) -> str:
    if total == 1:
        return "the one combination" if n == 1 else "no combination"
    if n == total:
        return f"all {total:,} combinations"
    if n == 0:
        return f"none of the {total:,} combinations"
    return f"{n:,} of the {total:,} combinations"


def movers(r: Reading, decl: Declaration) -> str:
    """Which choices move the estimate most (the difference of the mean estimates of
    their options), or that none has two options here."""
    if not r.movers:
        if r.defined and r.low is not None and r.high is not None and r.high - r.low <= 1e-9:
            return "No choice moves it."
        return "No choice it depends on has two options here that both define it."
    parts = []
    h = BY_KEY[r.key]
    for name, low, high, spread in r.movers:
        choice = decl.choice(name)
        label = CHOICE_NAMES.get(name, name)
        lo, hi = (choice.why.get(o, o) if choice else o for o in (low, high))
        if h.percent:
            size = f"{100 * spread:.1f} percentage points"
        elif r.key == "groups":
            size = f"{spread:,.1f}"
        else:
            size = display.stat(spread, 3)
        parts.append(f"{label} (on average {size} higher with “{hi}” than with “{lo}”)")
    return "It moves most with " + " and with ".join(parts) + "."


def reading(r: Reading, names: Mapping[str, str] | None = None) -> str:
    """How the combinations of one result read against this run's own choices: in sign
    (and significance at the 5% level) where a test applies, against a threshold, or
    in category; worded for no defined combination, one, some and all."""
    h = BY_KEY[r.key]
    label = h.label[0].upper() + h.label[1:]
    if r.combinations == 0:
        return f"{label}: no combination of choices was computed."
    if r.own is None:
        if r.defined == 0:
            return (
                f"{label}: it cannot be computed on this run under any of the "
                f"{r.combinations:,} combinations (the chapter it comes from says why)."
            )
        return (
            f"{label}: it cannot be computed under this run's own choices, so the other "
            "combinations "
            f"have nothing to agree with; where defined ({_of(r.defined, r.combinations)}) "
            f"it ranges from {value(r.key, r.low)} to {value(r.key, r.high)}."
        )
    undefined = r.combinations - r.defined
    missing = (
        f" (it is undefined in {undefined:,} of them, which keep too little to compute it)"
        if undefined
        else ""
    )
    spread = (
        f"it is {value(r.key, r.low)} in every one of them"
        if r.low is not None and r.high is not None and r.high - r.low <= 1e-9
        else f"it ranges from {value(r.key, r.low)} to {value(r.key, r.high)}"
    )
    own = value(r.key, r.own)
    if h.reading == "sign":
        sign = "positive" if r.own > 0 else "negative" if r.own < 0 else "zero"
        text = (
            f"{label}: in {_of(r.agree, r.defined)} where it is defined{missing}, it is "
            f"{sign}, as under this run's own choices ({own}); {spread}."
        )
        if r.significant is not None:
            own_sig = "significant" if r.own_significant else "not significant"
            text += (
                f" In {_of(r.significant, r.defined)} it also agrees in significance at the "
                f"{ALPHA:.0%} level (under this run's own choices it is {own_sig})."
            )
        return text
    if h.reading == "above":
        side = "at least" if r.own >= (h.threshold or 0) else "below"
        level = value(r.key, h.threshold)
        return (
            f"{label}: in {_of(r.agree, r.defined)} where it is defined{missing}, it is "
            f"{side} {level}, as under this run's own choices ({own}); {spread}."
        )
    if h.reading == "same":
        theme = (names or {}).get(r.own_category or "", r.own_category)
        return (
            f"In {_of(r.agree, r.defined)} where it is defined{missing}, the leading theme "
            f"is {theme}, as under this run's own choices ({own} of the coded posts); "
            f"its share {spread.removeprefix('it ')}."
        )
    return f"{label}: over {_of(r.defined, r.combinations)}, {spread} (this run's own: {own})."


def verdict(r: Reading) -> str:
    """Whether the finding holds across the choices (:attr:`Reading.robust`)."""
    robust = r.robust
    if robust is None:
        return ""
    if robust:
        return "**The finding holds across these choices.**"
    return "**The finding depends on these choices**: read it with them in mind."


def grid_note(computed: int, full: int, sampled: bool, dropped: int) -> str:
    """How many combinations were computed, of how many, and why some were left out."""
    text = f"{computed:,} combination{'s' if computed != 1 else ''}"
    if sampled:
        text += f", a sample (drawn with the run's seed) of the {full:,} defined"
    if dropped:
        text += f"; {dropped:,} left out because their window would hold no day"
    return text


def unused(declared: list[Choice]) -> str:
    """The declared choices no headline result depends on, and what they change instead."""
    if not declared:
        return "Every declared choice enters at least one headline result."
    changes = {
        "stop_words": "the words counted for each group and theme",
        "activity_groups": "the users chapter's table of accounts by activity",
    }
    parts = [
        f"{CHOICE_NAMES.get(c.name, c.name)} (it changes {changes.get(c.name, 'other numbers')})"
        for c in declared
    ]
    return (
        "No headline result depends on "
        + display.listed(parts)
        + ", so they are declared but do not multiply the combinations above."
    )


def idle(names: list[str]) -> str:
    """The declared choices that cannot change anything on this run, and why."""
    why = {
        "hashtag_rule": "this run keeps every post, with no hashtag to look for",
        "deleted_posts": "this run has no list of deleted posts",
    }
    if not names:
        return ""
    parts = [f"{CHOICE_NAMES.get(n, n)} ({why.get(n, 'it changes nothing here')})" for n in names]
    return (
        "Only this run's own option is taken for "
        + display.listed(parts)
        + ": the other options would give the same posts."
    )
