"""The frequency chapter's case-dependent sentences (``book/frequency.md``)."""

from __future__ import annotations

import math
from datetime import date
from typing import Any

from datasaveslives.report import display, wording
from datasaveslives.report.platforms import Vocabulary


def window(first: date, last: date) -> str:
    """The window's days: one date, or the first and the last."""
    return f"{first:%d %B %Y}" if first == last else f"{first:%d %B %Y} to {last:%d %B %Y}"


def posts_and_shares(share: dict[str, Any], hashtag: str | None, said: Vocabulary) -> str:
    """The run's posts, how they divide into original posts and shares, how many of
    the original posts were quotes and how many were shared (``share``:
    :func:`datasaveslives.analysis.frequency.shares`' keys): one sentence when
    there is no post, one post described as such, and nothing said of quotes or
    shares of original posts when there are none."""
    n, originals = share["posts"], share["originals"]
    carrying = f" carrying {hashtag}" if hashtag else ""
    if n == 0:
        return (
            f"No post{carrying} falls in this window, so there are no original posts or "
            f"{said.shares} to count."
        )
    every = "" if hashtag else " (the run keeps every post: no hashtag filter)"
    head = f"There {'was' if n == 1 else 'were'} {display.counted(n, 'post')}{carrying}{every}."
    elsewhere = "a post that is not among the run's posts"
    if n == 1:  # alone in the run, an original post cannot have been shared in it
        if not originals:
            return f"{head} It was a {said.share} of {elsewhere}."
        kind = "a quote" if share["quotes"] else "an original post"
        return f"{head} It was {kind}, and it was not {said.shared} in this archive."
    split = (
        f"Of these, {display.percent(share['pct_original'])} ({originals:,}) were original "
        f"posts and {display.percent(share['pct_retweet'])} ({share['retweets']:,}) were "
        f"{said.shares}"
    )
    if not originals:
        return f"{head} {split}: with no original post among them, each is of {elsewhere}."
    return (
        f"{head} {split}; among the original posts, "
        f"{display.percent(share['pct_quotes_of_originals'])} ({share['quotes']:,}) were "
        f"quotes. {display.percent(share['pct_originals_retweeted'])} "
        f"({share['originals_retweeted']:,}) of the original posts were {said.shared} at "
        f"least once in this archive."
    )


def weeks(summary: dict[str, Any], days: list[int]) -> str:
    """How the weekly totals varied and which week was busiest (the sentence goes on with
    that week's counts: it ends in "with" or "had"). ``days``: each week's days."""
    start = f"{summary['busiest_week_start']:%d %B %Y}"
    if summary["weeks"] > 1:
        last = f" (the last week has {days[-1]} days)" if days[-1] != 7 else ""
        return (
            f"The weekly total averaged {summary['mean']:,.2f} posts (SD {summary['sd']:,.2f}; "
            f"range {summary['min']:,}–{summary['max']:,}) over {summary['weeks']} weeks{last}. "
            f"The busiest was week {summary['busiest_week']}, from {start}, with"
        )
    if days[0] > 1:
        return (
            f"The window is a single week of {display.counted(days[0], 'day')}, so how posting "
            f"varied from week to week cannot be measured. That week, from {start}, had"
        )
    return (
        "The window is a single day, so how posting varied from week to week cannot be "
        f"measured. That day, {start}, had"
    )


def supporters_busiest(declared: int, busiest: dict[str, Any] | None) -> str:
    """The official supporters' busiest week (nothing when none are declared)."""
    if busiest is not None:
        return (
            f"The official supporters were busiest in week {busiest['busiest_week']} (from "
            f"{busiest['busiest_week_start']:%d %B %Y}), with {busiest['max']:,} of their posts."
        )
    return wording.supporters(declared, 0) + "." if declared else ""


def weekly_correlation(r: dict[str, float], shares: str, loo: dict[str, Any] | None = None) -> str:
    """Whether weeks with more original posts had more shares, and whether that rests on
    few weeks (``loo``: ``frequency.leave_one_out`` over the weeks)."""
    if not math.isnan(r["r"]):
        return wording.correlation_text(
            r,
            f"weekly counts of original posts and of {shares}",
            "Both series are skewed by a few busy weeks, so the rank correlation is "
            "reported alongside",
        ) + wording.rests_on_few(r["r"], loo or {}, int(r["n"]), "original posts", shares)
    return (
        f"Whether weeks with more original posts had more {shares} cannot be measured: "
        f"{wording.why_no_correlation(int(r['n']), 'weeks')}."
    )


def followers_correlation(r: dict[str, float], shares: str, shared: str, known: bool) -> str:
    """Whether posts by authors with more followers were shared more."""
    if not math.isnan(r["r"]):
        return wording.correlation_text(
            r, f"the number of {shares} an original post received and its author's followers", ""
        )
    why = (
        wording.why_no_correlation(int(r["n"]), "original posts with a known follower count")
        if known
        else "no follower count is known in these data"
    )
    return (
        f"Whether posts by authors with more followers were {shared} more cannot be "
        f"measured: {why}."
    )


def months(spanned: int, listed: int, left_out: int) -> str:
    """How many months the posts span, and which of them the table lists."""
    if left_out:
        return (
            f"The posts span {spanned:,} months; the {left_out:,} without posts are left out "
            "of the table below (the download lists every month)."
        )
    if listed:
        return f"The posts span {display.counted(spanned, 'month')}."
    return "There are no posts, so no month to list."


def most_shared_lead(listed: int, shared: str) -> str:
    """The opening of the most shared posts' paragraph: how many are listed (none when
    no original post was shared)."""
    if not listed:
        return f"No original post was {shared} in this window, so none is listed below"
    if listed == 1:
        return f"The one {shared} original post is listed below"
    return f"The {listed:,} most {shared} original posts are listed below"


def paper_groups_note(matched: bool) -> str:
    """What the Group column adds where this run's groups were matched to a published
    study's (a clause with a leading "; ", or nothing when the run compares with none)."""
    return (
        "; where it matches one of the paper's groups, the paper's number follows in brackets"
        if matched
        else ""
    )


def reach_note(unknown: int, sharer: str, deleted: int = 0) -> str:
    """Whether every sharer's follower count is known, and that deleted posts have no
    reach (N/A, as in the paper): a clause after "post"."""
    gone = f"; deleted posts have none (N/A, as in the paper: {deleted:,} here)" if deleted else ""
    if unknown:
        return (
            f"; it is unavailable for {unknown:,} of them, where a {sharer}'s follower count "
            f"is unknown (it is not taken as zero){gone}"
        )
    return f"; every {sharer}'s follower count is known here{gone}"


def top_organisations(listed: int, organisations: int | None) -> str:
    """How many of the ``listed`` most shared posts are by accounts the run's account
    types call organisations (a sentence with a leading space; nothing when the run
    declares no account types or lists no post)."""
    if organisations is None or not listed:
        return ""
    if listed == 1:
        return (
            " By the run's account types, it is by an organisation."
            if organisations
            else " By the run's account types, it is not by an organisation."
        )
    if not organisations:
        return f" By the run's account types, none of the {listed} is by an organisation."
    by = "is by an organisation" if organisations == 1 else "are by organisations"
    return f" By the run's account types, {organisations} of the {listed} {by}."


def uncollected(n: int, hashtag: str | None) -> str:
    """The most shared posts that are not in the data themselves (a sentence with a
    leading space, or nothing)."""
    if not n:
        return ""
    outside = (
        "before the window, or without the hashtag"
        if hashtag
        else ("outside what the archive holds")
    )
    if n == 1:
        return (
            f" 1 of them was not collected itself (posted {outside}): it ranks by the shares "
            "the data hold, and its text and author come from those shares (*In the data*: no)."
        )
    return (
        f" {n:,} of them were not collected themselves (posted {outside}): they rank by the "
        "shares the data hold, and their text and author come from those shares (*In the "
        "data*: no)."
    )


def weekly_caption(weeks: int, last_days: int, labelled: int) -> str:
    """The weekly figure's caption before its events: how weeks run, how many busiest
    weeks are labelled (``labelled``), and the last week's length when it is not 7 days."""
    if weeks <= 1:
        head = (
            f"Posts by type in the window's one week ({last_days} "
            f"{'day' if last_days == 1 else 'days'}, week 1 along the top)"
        )
    else:
        head = (
            "Posts per week by type. Weeks run for 7 days from the window's first day, "
            "numbered along the top as the text cites them"
        )
        if last_days != 7:
            head += f"; the last week, which takes the window's remaining days, has {last_days}"
    if labelled == 1:
        head += (
            "; the busiest week is labelled on its bar" if weeks > 1 else ", its total on its bar"
        )
    elif labelled > 1:
        head += f"; the {labelled} busiest weeks are labelled on their bars"
    return head


def events_caption(inside: int, posts: int) -> str:
    """The weekly figure's caption's end: the event lines, if any are drawn."""
    if inside and posts:
        return ". Numbered lines mark the study's events (listed below) that fall in the window."
    return "."


def events_list(inside: list[dict[str, Any]], declared: int) -> str:
    """The study's events in the window, numbered as on the figure (Markdown list)."""
    if inside:
        return "\n".join(
            f"{i}. {e['date']}: {e['label']} ({e['source']})" for i, e in enumerate(inside, 1)
        )
    if declared:
        return "No event of the study falls in this window."
    return "The run declares no events to mark."


def summary(
    weeks: int,
    posts: int,
    hashtag: str | None,
    mean: float | None,
    sd: float | None,
    retweet_share: float,
    shares: str,
    r: float,
) -> str:
    """The chapter's summary paragraph."""
    if not posts:
        return "The window holds no post, so there is nothing to count."
    carrying = f"posts carrying {hashtag}" if hashtag else "posts"
    correlated = (
        f"weekly posting and sharing had a Pearson correlation of {display.stat(r)}."
        if not math.isnan(r)
        else "weekly posting and sharing cannot be correlated here."
    )
    return (
        f"{display.counted(weeks, 'week').capitalize()} held {posts:,} {carrying}: "
        f"{wording.weekly_variation(weeks, mean, sd)}; {display.percent(retweet_share)} of "
        f"them were {shares}, and {correlated}"
    )
