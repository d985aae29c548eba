"""Original posts and which original each retweet shares.

Fixes, exactly: the originals (original text and quotes) of every author,
the number of originals retweeted at least once (2,756), the retweet counts
of Table 1's ten most shared posts, and that no other post is shared more
often than the tenth of them.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from datasaveslives.synth import spec


@dataclass(frozen=True)
class TopTweet:
    """One row of Table 1: rank, author, retweets, text (None: deleted)."""

    rank: int
    author: str | None  # screen name; None for the two deleted tweets
    retweets: int
    text: str | None
    deleted: bool
    reach: int | None


def top_tweets() -> list[TopTweet]:
    return [
        TopTweet(
            rank=row["rank"],
            author=row.get("user"),
            retweets=row["retweets"],
            text=row.get("text"),
            deleted=bool(row.get("deleted", False)),
            reach=row.get("reach"),
        )
        for row in spec.targets()["top_shared_tweets"]
    ]


def originals_table(roster: pd.DataFrame) -> pd.DataFrame:
    """One row per original post: its author and type (original or quote)."""
    rows = []
    for u, row in roster.iterrows():
        rows += [(u, "original")] * int(row["n_orig"]) + [(u, "quote")] * int(row["n_quote"])
    out = pd.DataFrame(rows, columns=["author", "type"])
    out["retweets"] = 0
    out["top_rank"] = 0
    return out


def assign_retweets(
    rng: np.random.Generator,
    roster: pd.DataFrame,
    pairs: pd.DataFrame,
    originals: pd.DataFrame,
    retweeted_target: int,
) -> pd.DataFrame:
    """Retweets as (retweeter, original index) rows; sets ``retweets``/``top_rank``."""
    tops = top_tweets()
    cap = min(t.retweets for t in tops) - 1  # every other post stays below rank 10
    known_followers = {int(u): float(f) for u, f in roster["followers"].dropna().items()}
    content = (roster["n_orig"] + roster["n_quote"]).to_numpy()
    names = roster["screen_name"]
    deleted_authors = list(roster.index[roster["role"] == "deleted"])
    by_author_tops: dict[int, list[TopTweet]] = {}
    for t in tops:
        a = int(deleted_authors.pop(0)) if t.deleted else int(roster.index[names == t.author][0])
        by_author_tops.setdefault(a, []).append(t)

    in_pairs = {a: grp for a, grp in pairs.groupby("author")}
    own = {a: list(idx) for a, idx in originals.groupby("author").groups.items()}

    # Bounds on how many of each author's originals are retweeted.
    lo, hi = {}, {}
    for a, grp in in_pairs.items():
        r_a = int(grp["retweets"].sum())
        o_a = len(own[a])
        top_sum = sum(t.retweets for t in by_author_tops.get(a, []))
        n_top = len(by_author_tops.get(a, []))
        lo[a] = max(int(grp["retweets"].max()), n_top + int(np.ceil(max(r_a - top_sum, 0) / cap)))
        hi[a] = min(o_a, r_a - top_sum + n_top)
        if lo[a] > hi[a]:
            raise ValueError(f"author {a}: cannot spread {r_a} retweets over {o_a} posts")
    authors = sorted(in_pairs)
    k = {a: int(np.clip(round(0.66 * len(own[a])), lo[a], hi[a])) for a in authors}
    diff = retweeted_target - sum(k.values())
    while diff:
        step = 1 if diff > 0 else -1
        movable = [a for a in authors if (k[a] < hi[a] if step > 0 else k[a] > lo[a])]
        if not movable:
            raise ValueError("cannot reach the number of retweeted originals")
        for a in rng.choice(movable, size=min(abs(diff), len(movable)), replace=False):
            k[int(a)] += step
            diff -= step

    rows: list[tuple[int, int]] = []
    for a in authors:
        posts = list(own[a])
        rng.shuffle(posts)
        # Table 1's posts are original text: put those first.
        posts.sort(key=lambda p: originals.at[p, "type"] != "original")
        chosen = posts[: k[a]]
        grp = in_pairs[a]
        slots = {int(u): int(m) for u, m in zip(grp["retweeter"], grp["retweets"], strict=True)}
        counts = dict.fromkeys(chosen, 0)
        # Table 1 posts first: each takes its exact number of distinct retweeters.
        # Retweeters with more retweets of this author than it has other posts
        # must be among them.
        tops_here = by_author_tops.get(a, [])
        n_free_posts = k[a] - len(tops_here)
        for i, t in enumerate(tops_here):
            post = chosen[i]
            originals.at[post, "top_rank"] = t.rank
            later = len(tops_here) - i - 1
            have = [u for u, m in slots.items() if m > 0]
            must = [u for u in have if slots[u] > n_free_posts + later]
            # Accounts with more followers than a fifth of the post's published
            # reach cannot have been among its retweeters.
            big = {u for u in have if known_followers.get(u, 0) > 0.2 * (t.reach or 1e12)}
            rest = [u for u in have if u not in must and u not in big]
            if len(have) < t.retweets or len(must) > t.retweets:
                raise ValueError(
                    f"{t.author or 'deleted'}: cannot give rank {t.rank} {t.retweets} retweets "
                    f"({len(have)} retweeters, {len(must)} required, {len(big)} too big)"
                )
            weights = np.array(
                [slots[u] * (3.0 if content[u] == 0 else 1.0) for u in rest], dtype=float
            )
            extra = rng.choice(
                rest, size=t.retweets - len(must), replace=False, p=weights / weights.sum()
            )
            for u in [*must, *extra]:
                rows.append((int(u), post))
                slots[int(u)] -= 1
                counts[post] += 1
        free = [p for p in chosen if originals.at[p, "top_rank"] == 0]
        popularity = dict(zip(free, rng.lognormal(0.0, 1.0, len(free)), strict=True))
        # Cover first (every chosen post gets a retweet), then by popularity,
        # each retweeter sharing distinct posts, no post above the cap.
        for u in sorted(slots, key=lambda x: -slots[x]):
            taken: set[int] = set()
            for _ in range(slots[u]):
                open_posts = [p for p in free if counts[p] < cap and p not in taken]
                if not open_posts:
                    raise ValueError(f"author {a}: no post left for retweeter {u}")
                uncovered = [p for p in open_posts if counts[p] == 0]
                if uncovered:
                    p = uncovered[0]
                else:
                    w = np.array([popularity[q] for q in open_posts])
                    p = open_posts[int(rng.choice(len(open_posts), p=w / w.sum()))]
                rows.append((u, p))
                taken.add(p)
                counts[p] += 1
        for p, c in counts.items():
            originals.at[p, "retweets"] = c
    retweets = pd.DataFrame(rows, columns=["retweeter", "original"])
    if (originals["retweets"] > 0).sum() != retweeted_target:
        raise AssertionError("retweeted-originals count is off")
    return retweets
