"""When: weekly totals with the paper's exact moments, and a time for every post.

Weeks are the paper's: 7-day bins from 2016-09-01, the last one holding the
window's 365th day. The weekly totals are built to have the published mean,
SD, minimum and maximum exactly, with event weeks as the spikes; originals
are placed so that each week's originals and retweets are exact too, and
retweets follow their original within the same week.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import numpy as np
import pandas as pd

from datasaveslives.synth import spec

N_WEEKS = 52


def week_of(day: date) -> int:
    """1-based week of ``day`` in the paper's window (last week holds the 365th day)."""
    return min((day - spec.WINDOW_START).days // 7 + 1, N_WEEKS)


def week_start(week: int) -> datetime:
    return datetime.combine(
        spec.WINDOW_START + timedelta(days=7 * (week - 1)), datetime.min.time(), UTC
    )


def week_end(week: int) -> datetime:
    """Exclusive end of ``week`` (the window end for the last week)."""
    if week == N_WEEKS:
        return datetime.combine(spec.WINDOW_END + timedelta(days=1), datetime.min.time(), UTC)
    return week_start(week + 1)


def weekly_totals(rng: np.random.Generator) -> np.ndarray:
    """52 integer weekly totals with the paper's sum, SD (n - 1), min and max exactly."""
    f = spec.targets()["frequency"]
    total, sd = f["tweets_total"], f["weekly_total_sd"]
    lo, hi = f["weekly_total_min"], f["weekly_total_max"]
    peak = week_of(date.fromisoformat(str(f["peak_week_start"])))
    quiet = week_of(date(2016, 12, 22))  # the Christmas week is the quietest
    weeks = np.arange(1, N_WEEKS + 1)
    profile = 190 + 40 * np.sin(2 * np.pi * (weeks - 8) / 52) + rng.normal(0, 45, N_WEEKS)
    for ev in spec.EVENTS:
        w = week_of(ev.day) if spec.WINDOW_START <= ev.day <= spec.WINDOW_END else None
        if w:
            profile[w - 1] += 420 * (len(ev.groups) ** 0.5)
            for k in range(1, ev.before + 1):
                if w - k >= 1:
                    profile[w - 1 - k] += 120 / k
    free = np.array([w not in (peak, quiet) for w in weeks])
    # Affine map of the free weeks so that sum and SD are exact (before rounding).
    rest_total = total - hi - lo
    x = profile[free]
    n = N_WEEKS
    mean = total / n
    # Solve for b (spread) given the fixed weeks' contribution to the variance.
    fixed_ss = (hi - mean) ** 2 + (lo - mean) ** 2
    target_ss = sd**2 * (n - 1) - fixed_ss
    xc = x - x.mean()
    m_free = rest_total / free.sum()
    b = np.sqrt((target_ss - free.sum() * (m_free - mean) ** 2) / np.sum(xc**2))
    y = m_free + b * xc
    values = np.empty(n)
    values[free] = y
    values[peak - 1], values[quiet - 1] = hi, lo
    out = np.round(values).astype(int)
    out[free] = np.clip(out[free], lo + 1, hi - 1)
    _repair_sum_sd(out, free, total, sd, lo + 1, hi - 1)
    return out


def _repair_sum_sd(
    x: np.ndarray, free: np.ndarray, total: int, sd: float, lo: int, hi: int
) -> None:
    """Integer moves on free weeks until the sum is exact and the SD rounds to ``sd``.

    Moving one post from week a to week b changes the sum of squares by
    2 (x_b - x_a) + 2; each step takes the move closest to what is missing.
    """
    idx = np.flatnonzero(free)
    n = len(x)
    while (d := total - int(x.sum())) != 0:
        j = idx[np.argmin(np.abs(x[idx] - x[idx].mean()))]
        x[j] += np.sign(d)
    for _ in range(10_000):
        cur = float(np.std(x, ddof=1))
        if abs(cur - sd) < 0.004:
            return
        need = (sd**2 - cur**2) * (n - 1)  # change of the sum of squares still missing
        v = x[idx]
        gain = 2 * (v[None, :] - v[:, None]) + 2  # move a -> b: row a, column b
        allowed = (v[:, None] > lo) & (v[None, :] < hi) & ~np.eye(len(idx), dtype=bool)
        gain = np.where(allowed, gain, np.inf)
        a, b = np.unravel_index(np.argmin(np.abs(gain - need)), gain.shape)
        if not np.isfinite(gain[a, b]):
            raise RuntimeError("cannot reach the weekly SD")
        x[idx[a]] -= 1
        x[idx[b]] += 1
    raise RuntimeError("weekly totals did not converge")


def weekly_split(rng: np.random.Generator, totals: np.ndarray) -> np.ndarray:
    """Originals per week: exact sum and peak week, weekly r(originals, retweets) on target."""
    f = spec.targets()["frequency"]
    n_orig = f["original_posts"]
    peak = week_of(date.fromisoformat(str(f["peak_week_start"])))
    target_r = f["weekly_posts_vs_retweets_r"]
    z = rng.normal(size=N_WEEKS)
    best, best_err = None, np.inf
    for sigma in np.linspace(0.0, 0.8, 161):
        share = np.exp(sigma * z)
        o = totals * share
        o = o * (n_orig - f["peak_week_posts"]) / (o.sum() - o[peak - 1])
        o = np.clip(np.round(o), 1, totals - 1).astype(int)
        o[peak - 1] = f["peak_week_posts"]
        _fix_sum(o, n_orig, peak, totals)
        r = np.corrcoef(o, totals - o)[0, 1]
        if abs(r - target_r) < best_err:
            best, best_err = o.copy(), abs(r - target_r)
    assert best is not None  # the first try always improves on an infinite error
    return best


def _fix_sum(o: np.ndarray, total: int, keep: int, totals: np.ndarray) -> None:
    while (d := total - int(o.sum())) != 0:
        ok = [
            w for w in range(N_WEEKS) if w != keep - 1 and 1 <= o[w] + np.sign(d) <= totals[w] - 1
        ]
        j = max(ok, key=lambda w: totals[w])
        o[j] += np.sign(d)


def place_originals(
    rng: np.random.Generator,
    originals: pd.DataFrame,
    roster: pd.DataFrame,
    n_orig: np.ndarray,
    n_rt: np.ndarray,
) -> None:
    """Set ``originals['week']`` so every week's originals and retweets are exact.

    Each original prefers the weeks around events of its author's group;
    Table 1's posts sit in the weeks of their dates. Placement draws weeks by
    preference, then swaps originals between weeks until the retweets of
    each week's originals add up to that week's retweets.
    """
    group = roster["group"].to_numpy()
    supporter = (roster["role"] == "supporter").to_numpy()
    weeks = np.arange(1, N_WEEKS + 1)
    pref_by_group: dict[tuple[int, bool], np.ndarray] = {}

    def pref(g: int, sup: bool) -> np.ndarray:
        key = (g, sup)
        if key not in pref_by_group:
            p = np.ones(N_WEEKS)
            for ev in spec.EVENTS:
                if g in ev.groups and spec.WINDOW_START <= ev.day <= spec.WINDOW_END:
                    w = week_of(ev.day)
                    p[w - 1] += 6.0 + (10.0 if sup and ev.tag == "#iforh2017" else 0.0)
                    for k in range(1, ev.before + 1):
                        if w - k >= 1:
                            p[w - 1 - k] += 3.0 / k
                    for k in range(1, ev.after + 1):
                        if w + k <= N_WEEKS:
                            p[w - 1 + k] += 1.5 / k
            pref_by_group[key] = p
        return pref_by_group[key]

    week = np.zeros(len(originals), dtype=int)
    slots = n_orig.copy()
    times = spec.TOP_TWEET_TIMES
    for i in np.flatnonzero(originals["top_rank"].to_numpy() > 0):
        w = week_of(times[int(originals.at[i, "top_rank"])][0])
        week[i] = w
        slots[w - 1] -= 1
    order = np.flatnonzero(week == 0)
    order = order[rng.permutation(len(order))]
    for i in order:
        a = int(originals.at[i, "author"])
        p = pref(int(group[a]), bool(supporter[a])) * slots
        w = int(rng.choice(weeks, p=p / p.sum()))
        week[i] = w
        slots[w - 1] -= 1
    originals["week"] = week
    _swap_to_exact(rng, originals, n_rt)


def _swap_to_exact(rng: np.random.Generator, originals: pd.DataFrame, n_rt: np.ndarray) -> None:
    counts = originals["retweets"].to_numpy()
    week = originals["week"].to_numpy().copy()
    pinned = originals["top_rank"].to_numpy() > 0
    for _ in range(200_000):
        have = np.bincount(week, weights=counts, minlength=N_WEEKS + 1)[1:].astype(int)
        surplus = have - n_rt
        if not surplus.any():
            originals["week"] = week
            return
        a = int(np.argmax(surplus)) + 1
        b = int(np.argmin(surplus)) + 1
        need = min(surplus[a - 1], -surplus[b - 1])
        in_a = np.flatnonzero((week == a) & ~pinned)
        in_b = np.flatnonzero((week == b) & ~pinned)
        diff = counts[in_a][:, None] - counts[in_b][None, :]
        ok = (diff > 0) & (diff <= need)
        if ok.any():
            # The largest move that does not overshoot.
            flat = np.flatnonzero(ok)
            best = flat[np.argmax(diff.ravel()[flat])]
        else:
            pos = np.flatnonzero(diff.ravel() > 0)
            if len(pos) == 0:
                raise RuntimeError(f"no swap moves retweets from week {a} to {b}")
            best = pos[np.argmin(diff.ravel()[pos])]
        i, j = divmod(int(best), len(in_b))
        week[in_a[i]], week[in_b[j]] = b, a
    raise RuntimeError("weekly placement did not converge")


UK_HOURS = np.array(
    [0, 0, 0, 0, 0, 0, 1, 3, 8, 10, 10, 9, 8, 9, 9, 9, 8, 6, 4, 3, 3, 2, 1, 0], float
)


def post_times(rng: np.random.Generator, originals: pd.DataFrame) -> np.ndarray:
    """A UTC time for each original inside its week (Table 1 posts at their dates)."""
    out = []
    hours = UK_HOURS / UK_HOURS.sum()
    for _, row in originals.iterrows():
        w = int(row["week"])
        if row["top_rank"]:
            day, hour = spec.TOP_TWEET_TIMES[int(row["top_rank"])]
            start = datetime.combine(day, datetime.min.time(), UTC) + timedelta(hours=hour)
            out.append(start + timedelta(minutes=int(rng.integers(0, 50))))
            continue
        span_days = (week_end(w) - week_start(w)).days
        t = week_start(w) + timedelta(
            days=int(rng.integers(0, span_days)),
            hours=int(rng.choice(24, p=hours)),
            minutes=int(rng.integers(0, 60)),
            seconds=int(rng.integers(0, 60)),
        )
        out.append(t)
    return np.array(out, dtype=object)


def retweet_times(
    rng: np.random.Generator, retweets: pd.DataFrame, originals: pd.DataFrame
) -> np.ndarray:
    """A time for each retweet: hours after its original, inside the original's week."""
    out = []
    for orig in retweets["original"].to_numpy():
        t0 = originals.at[orig, "created_at"]
        end = week_end(int(originals.at[orig, "week"]))
        room = (end - t0).total_seconds() - 1
        delay = float(rng.lognormal(np.log(3 * 3600), 1.1))
        if delay >= room:
            delay = float(rng.uniform(30, max(room, 31)))
        out.append(t0 + timedelta(seconds=int(max(delay, 30))))
    return np.array(out, dtype=object)
