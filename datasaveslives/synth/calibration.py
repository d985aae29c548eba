"""Calibration of the synthetic corpus: every published figure, target vs achieved.

The corpus is ingested with the normal pipeline over the paper's window and
every figure is computed with the same functions the chapters use; each row
says the target, what this corpus gives, the tolerance and whether it holds.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd

from datasaveslives.analysis import frequency, network, users
from datasaveslives.core import files, paths, tokens
from datasaveslives.core.params import DEFAULT_SEED, load_account_types
from datasaveslives.core.window import Window
from datasaveslives.ingest import ingestion, tables
from datasaveslives.paper import comparison, matching, registry
from datasaveslives.privacy import policy
from datasaveslives.synth import build

# The calibration table, as the About the data chapter saves it with a run's results.
TABLE_FILE = "calibration.csv"


class Checks:
    """Collects rows of (section, figure, target, achieved, tolerance, ok, key); ``key``
    names the published figure in the paper's record when the chapters compute it too
    (``paper/registry.py``, which gives its tolerance), so that a test can check that
    the calibration and the chapters computed the same value."""

    def __init__(self) -> None:
        self.rows: list[dict[str, Any]] = []

    def add(
        self,
        section: str,
        figure: str,
        target: Any,
        achieved: Any,
        tolerance: str,
        ok: bool,
        key: str | None = None,
        basis: str = registry.CALIBRATED,
    ) -> None:
        self.rows.append(
            {
                "section": section,
                "figure": figure,
                "target": target,
                "achieved": achieved,
                "tolerance": tolerance,
                "ok": bool(ok),
                "key": key,
                "basis": basis,
            }
        )

    def exact(
        self, section: str, figure: str, target: Any, achieved: Any, key: str | None = None
    ) -> None:
        self.add(section, figure, target, achieved, "equal", target == achieved, key)

    def within(self, section: str, figure: str, target: float, achieved: float, key: str) -> None:
        """Within the tolerance the registry gives the published figure at ``key``."""
        tol = registry.find(key)[0].tol()
        assert tol is not None, key
        ok, label = comparison.within(target, achieved, tol)
        self.add(section, figure, target, _shown(achieved), label, ok, key)

    def figures(self, section: str, result: Any) -> None:
        """Every published figure of ``section`` the registry measures on a chapter's
        ``result``, with the registry's label and tolerance (as the chapter compares it)."""
        compared = registry.table(section, result)
        for r in compared.itertuples():
            target, achieved = _shown(r.paper), _shown(r[3])
            self.add(
                section, r.figure, target, achieved, r.tolerance, r.within == "yes", r.key, r.basis
            )

    def frame(self) -> pd.DataFrame:
        return pd.DataFrame(self.rows)


def _shown(value: float) -> int | float:
    """A number as the calibration table shows it: whole numbers without decimals."""
    value = float(value)
    return int(value) if value.is_integer() else round(value, 3)


def ingest_corpus(corpus_dir: Path, out_dir: Path) -> tables.Tables:
    """The corpus through the normal ingestion, over the paper's window."""
    t = comparison.paper()["window"]
    ingestion.ingest(
        [corpus_dir / build.CORPUS_FILE],
        out_dir,
        hashtag=t["hashtag"],
        window=Window.from_strings(str(t["start"]), str(t["end"])),
    )
    return tables.load(out_dir).read()  # read now: callers remove the folder


def check_cached(
    corpus_dir: Path = paths.SYNTHETIC, cache_dir: Path | None = None, seed: int | None = None
) -> pd.DataFrame:
    """:func:`check`, kept in ``cache_dir`` (``calibration/``) under a digest of the
    corpus's files, the compendium's code, the paper's figures and tolerances, the seed,
    the lock and the Python: a rebuild on a new window, or of another chapter, does not
    check the corpus again. Without ``cache_dir``, or with an entry that cannot be read,
    it is checked."""
    if cache_dir is None:
        return check(corpus_dir, seed)
    parts = [
        files.tree_digest(Path(corpus_dir), paths.ROOT / "datasaveslives", paths.DATA / "paper"),
        files.tree_digest(paths.ROOT / "requirements.lock"),
        str(DEFAULT_SEED if seed is None else seed),
        sys.version,
    ]
    name = hashlib.sha256(repr(parts).encode()).hexdigest()[:24]
    entry = Path(cache_dir) / "calibration" / f"{name}.pkl"
    if entry.is_file():
        with contextlib.suppress(Exception):  # a damaged entry: checked again below
            cached = pd.read_pickle(entry)
            if isinstance(cached, pd.DataFrame):
                return cached
    table = check(corpus_dir, seed)
    entry.parent.mkdir(parents=True, exist_ok=True)
    incoming = entry.with_name(f"{entry.name}.{os.getpid()}.incoming")
    table.to_pickle(incoming)
    incoming.replace(entry)  # whole or not at all
    return table


def check(corpus_dir: Path = paths.SYNTHETIC, seed: int | None = None) -> pd.DataFrame:
    """Every calibration row for the corpus in ``corpus_dir``."""
    corpus_dir = Path(corpus_dir)
    with tempfile.TemporaryDirectory() as tmp:
        t = ingest_corpus(corpus_dir, Path(tmp))
    ann_users = pd.read_csv(corpus_dir / build.USERS_FILE, dtype={"user_id": str})
    ann_posts = pd.read_csv(corpus_dir / build.POSTS_FILE, dtype={"post_id": str, "author_id": str})
    seed = DEFAULT_SEED if seed is None else seed
    paper = comparison.paper()
    c = Checks()
    _frequency(c, t, paper, corpus_dir)
    _users(c, t, paper, corpus_dir)
    _network(c, t, paper, seed, ann_users)
    _themes(c, ann_posts, paper)
    meta = build.read_meta(corpus_dir)
    c.exact("corpus", "labelled synthetic", True, bool(meta.get("synthetic")))
    return c.frame()


def _frequency(c: Checks, t: tables.Tables, paper: dict, corpus_dir: Path) -> None:
    """The frequency chapter's published figures (Table 1's included), measured on its
    result as the chapter computes it; then what only the corpus can tell about Table 1:
    the accounts, texts and deletions of the most shared posts."""
    window = Window.from_strings(str(paper["window"]["start"]), str(paper["window"]["end"]))
    rules = policy.from_parameters(
        None, str(corpus_dir / build.DELETIONS_FILE), None, True, users=t.users
    )
    result = frequency.compute(
        t.posts,
        t.users,
        window.start,
        window.end,
        "UTC",
        users.supporter_ids(t.users, paper["official_supporters"]),
        rules,
        kinds=users.kinds_of(t.users, _types(corpus_dir)),
    )
    c.figures("frequency", result)
    _top_tweets(c, t, paper, result.top)


def _types(corpus_dir: Path) -> dict[str, str] | None:
    """The corpus's account types (``account_types.yml``), as a run reads them."""
    listed = Path(corpus_dir) / build.ACCOUNT_TYPES_FILE
    return load_account_types(listed) if listed.is_file() else None


def _users(c: Checks, t: tables.Tables, paper: dict, corpus_dir: Path) -> None:
    """The users chapter's published figures, with the corpus's account types (the
    organisations among the 100+ and the patient advocate's posts among them)."""
    result = users.compute(
        t.posts,
        t.users,
        paper["official_supporters"],
        paper["window"]["hashtag"],
        types=_types(corpus_dir),
    )
    c.figures("users", result)


def _top_tweets(c: Checks, t: tables.Tables, paper: dict, top: pd.DataFrame) -> None:
    names = t.users.set_index("user_id")["screen_name"]
    text = t.posts.set_index("post_id")["text"]
    for i, row in enumerate(paper["top_shared_tweets"]):
        got = top.iloc[i]
        if row.get("deleted"):
            c.exact("Table 1", f"rank {row['rank']}: deleted", True, bool(got["deleted"]))
            continue
        c.exact("Table 1", f"rank {row['rank']}: account", row["user"], names.get(got["author_id"]))
        c.exact("Table 1", f"rank {row['rank']}: text", row["text"], text.get(got["post_id"]))


def _network(c: Checks, t: tables.Tables, paper: dict, seed: int, ann_users: pd.DataFrame) -> None:
    """The network chapter's published figures (Table 3's group sizes included), measured
    on its result as the chapter computes it; then what only the corpus can tell: each
    group's most central organisations and top words, the links the paper read, and the
    hub-and-spoke shape."""
    n = paper["network"]
    g = network.retweet_graph(t.edges).graph
    part = network.louvain(g, seed=seed)
    result = network.compute(
        t.edges,
        t.posts,
        t.users,
        part,
        seed=seed,
        resolution=1.0,
        stability_seeds=1,
        account=lambda user_id, name: name or user_id,
        supporter_ids=users.supporter_ids(t.users, paper["official_supporters"]),
        # As the chapter counts Table 3's words: without the campaign's own hashtag.
        exclude_words=(paper["window"]["hashtag"],),
    )
    c.figures("network", result)
    cent = result.centrality
    names = t.users.set_index("user_id")["screen_name"]
    kinds = ann_users.set_index("user_id")["kind"]
    is_org = kinds.isin(["organisation", "official supporter"])
    # Each Table 3 group is matched to one of the ten largest communities by the
    # accounts the paper placed (groups of nearly equal size may swap ranks).
    matched = matching.match_table3(part, names.to_dict())
    is_org_map = is_org.to_dict()
    for row in n["table3"]:
        gid = row["group"]
        wanted = list(row["influential"])
        if gid not in matched:
            c.add(
                "Table 3",
                f"group {gid}: community",
                f"led by {wanted[0]}",
                "not its own",
                "its own community",
                False,
            )
            continue
        members = part.groups[matched[gid]]
        top = matching.leading_organisations(
            members, cent, is_org_map, names.to_dict(), len(wanted)
        )
        c.add(
            "Table 3",
            f"group {gid}: most central organisations",
            ", ".join(wanted),
            ", ".join(top),
            "the same accounts",
            set(wanted) == set(top),
        )
        counted = result.words[matched[gid]] if matched[gid] < len(result.words) else None
        for source, kind in (("bio_words", "bio"), ("tweet_words", "post")):
            paper_top = top_words_as_printed(row[source])
            got = tokens.most_common(getattr(counted, kind), len(paper_top)) if counted else []
            c.add(
                "Table 3",
                f"group {gid}: top {kind} words",
                ", ".join(paper_top),
                ", ".join(w for w, _ in got),
                "the same words",
                set(paper_top) == {w for w, _ in got},
            )
    number = {idx: gid for gid, idx in matched.items()}
    for (a, b), ok in matching.links_as_read(g, part, number).items():
        c.add(
            "network",
            f"groups {a} and {b} linked",
            "among the strongest",
            "yes" if ok else "no",
            "a top-3 partner of either (share of its outside edges)",
            ok,
        )
    # Hub and spoke: a few accounts at the centre of each large group.
    shares = []
    for members in part.groups[:10]:
        sub = g.subgraph(members)
        hubs = sorted(dict(sub.degree).items(), key=lambda kv: -kv[1])[:3]
        touched = {e for node, _ in hubs for e in sub.edges(node)}
        shares.append(len(touched) / max(sub.number_of_edges(), 1))
    c.add(
        "network",
        "hub and spoke: edges touching each group's 3 top accounts",
        "most",
        f"min {min(shares):.0%}",
        "at least 40% in every group",
        min(shares) >= 0.4,
    )


def top_words_as_printed(words: dict[str, int]) -> list[str]:
    """A Table 3 word list as a top list: the words a run can count (not stop words),
    without one the paper printed out of its own descending order (group 9's
    "care (4)" between 24 and 14, a likely typo for 14), by the paper's count."""
    kept = [(str(w), int(c)) for w, c in words.items() if tokens.counted(str(w))]
    in_order = [
        (w, c)
        for i, (w, c) in enumerate(kept)
        if not (0 < i < len(kept) - 1 and kept[i - 1][1] > c < kept[i + 1][1])
    ]
    return [w for w, _ in sorted(in_order, key=lambda wc: (-wc[1], wc[0]))]


def _themes(c: Checks, ann: pd.DataFrame, paper: dict) -> None:
    orig = ann[(ann["type"] != "retweet") & ~ann["extrapolated"]]
    themes = orig["themes"].fillna("")
    for code in "ABCD":
        c.add(
            "themes",
            f"theme {code} present",
            "yes",
            f"{themes.str.contains(code).mean():.0%} of originals",
            "> 5%",
            themes.str.contains(code).mean() > 0.05,
        )
    multi = (themes.str.len() >= 2).mean()
    c.add(
        "themes",
        "originals with overlapping themes",
        "substantial",
        f"{multi:.0%}",
        "> 20%",
        multi > 0.2,
    )
    quotable = ann[ann["quotable"]]
    for row in paper["themes"]["table4_examples"]:
        codes = "".join(k for k in "ABCD" if row[k])
        hit = quotable[quotable["themes"] == codes]
        c.add(
            "themes",
            f"Table 4 example ({codes})",
            "present, coded as in the paper",
            "yes" if len(hit) else "no",
            "equal",
            len(hit) > 0,
        )


def print_table(frame: pd.DataFrame, out: Callable[[str], None] = print) -> None:
    """Plain-text calibration table."""
    width = frame["figure"].str.len().max()
    for _, r in frame.iterrows():
        mark = "ok  " if r["ok"] else "FAIL"
        target, achieved = str(r["target"])[:40], str(r["achieved"])[:40]
        out(
            f"{mark} {r['section']:<10} {r['figure']:<{width}}  target {target:<40}  "
            f"achieved {achieved:<40}  {r['tolerance']}"
        )
    for line in summary(frame):
        out(line)


def calibrated(frame: pd.DataFrame) -> pd.DataFrame:
    """The rows that are calibration targets (every row but the held-out figures)."""
    return frame[frame["basis"] != registry.HELD_OUT]


def held_out(frame: pd.DataFrame) -> pd.DataFrame:
    """The held-out figures' rows: checked, but not calibration targets."""
    return frame[frame["basis"] == registry.HELD_OUT]


def summary(frame: pd.DataFrame) -> list[str]:
    """How many calibrated figures hold, and how many held-out figures the corpus
    reproduces unaided (a held-out miss is reported, not a calibration failure)."""
    target, held = calibrated(frame), held_out(frame)
    lines = [f"{int(target['ok'].sum())} of {len(target)} calibrated figures within tolerance"]
    if len(held):
        lines.append(
            f"{int(held['ok'].sum())} of {len(held)} held-out figures within tolerance "
            "(not calibration targets: a miss is reported, not a failure)"
        )
    return lines
