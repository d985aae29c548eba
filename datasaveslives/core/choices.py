"""The analyst's choices a multiverse analysis varies, as ``params.yml`` declares them
under ``multiverse`` (analysis/multiverse.py computes the results under each)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

# Every choice the analysis knows, with the options it can compute, this run's own
# first. params.yml may drop options (or a whole choice) and words the reason for each.
OPTIONS: dict[str, tuple[str, ...]] = {
    "weeks": ("window", "iso"),
    "hashtag_rule": ("body", "own_text"),
    "deleted_posts": ("in", "out"),
    "window_start": ("as_set", "month_earlier", "month_later"),
    "window_end": ("as_set", "month_earlier", "month_later"),
    "share_edges": ("retweets", "retweets_and_quotes"),
    "direction": ("undirected", "directed"),
    "weights": ("unweighted", "weighted"),
    "algorithm": ("louvain", "leiden"),
    "resolution": ("as_set", "0.5", "1", "1.5", "2"),
    "stop_words": ("project", "standard"),
    "activity_groups": ("as_set", "finer", "coarser"),
}


class MultiverseError(ValueError):
    """A ``multiverse`` declaration that cannot be used."""


@dataclass(frozen=True)
class Choice:
    """One declared choice: its question and its options (this run's first), each with
    the sentence saying why it is reasonable."""

    name: str
    question: str
    options: tuple[str, ...]
    why: Mapping[str, str]


@dataclass(frozen=True)
class Declaration:
    """The ``multiverse`` key of ``params.yml``: the choices, the most combinations
    computed per result (beyond it, a sample drawn with ``seed``)."""

    choices: tuple[Choice, ...]
    sample: int = 200
    workers: int = 2

    def options(self, name: str) -> tuple[str, ...]:
        """The options of choice ``name`` (only this run's own when it is not declared)."""
        for choice in self.choices:
            if choice.name == name:
                return choice.options
        return OPTIONS[name][:1]

    def choice(self, name: str) -> Choice | None:
        return next((c for c in self.choices if c.name == name), None)


def declared(spec: Mapping[str, Any] | None) -> Declaration:
    """The declaration in ``spec`` (the ``multiverse`` key of params.yml); a
    :class:`MultiverseError` naming the first unknown choice or option."""
    spec = dict(spec or {})
    choices = []
    for name, body in (spec.get("choices") or {}).items():
        if name not in OPTIONS:
            raise MultiverseError(
                f"multiverse: unknown choice {name!r} (known: {', '.join(OPTIONS)})"
            )
        body = body or {}
        options = {str(k): str(v) for k, v in (body.get("options") or {}).items()}
        unknown = [o for o in options if o not in OPTIONS[name]]
        if unknown:
            raise MultiverseError(
                f"multiverse: {name} has no option {unknown[0]!r} "
                f"(known: {', '.join(OPTIONS[name])})"
            )
        # This run's own option is always in; the others in the order OPTIONS lists them
        # (a mapping read back from JSON may come in another order).
        taken = tuple(o for i, o in enumerate(OPTIONS[name]) if i == 0 or o in options)
        choices.append(Choice(name, str(body.get("question", name)), taken, options))
    choices.sort(key=lambda c: list(OPTIONS).index(c.name))
    unknown_keys = sorted(set(spec) - {"choices", "sample", "workers"})
    if unknown_keys:
        raise MultiverseError(
            f"multiverse: unknown key {unknown_keys[0]!r} (known: choices, sample, workers)"
        )
    sample = int(spec.get("sample", 200))
    if sample < 1:
        raise MultiverseError(f"multiverse: sample must be at least 1, not {sample}")
    return Declaration(tuple(choices), sample, int(spec.get("workers", 2)))
