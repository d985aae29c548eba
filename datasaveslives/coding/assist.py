"""An assistive coder, an aid and never the coding: transparent keyword rules from the
codebook, and a small supervised model (TF-IDF words and word pairs, logistic
regression, one per code) trained on the human codes and scored by seeded
cross-validation, so that its error is measured before it suggests anything."""

from __future__ import annotations

import pandas as pd
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score
from sklearn.model_selection import StratifiedKFold, cross_val_predict
from sklearn.pipeline import make_pipeline

from datasaveslives.coding.agreement import kappa
from datasaveslives.coding.codebook import Codebook
from datasaveslives.core.tokens import keyword_tokens


def keyword_rules(texts: pd.Series, codebook: Codebook) -> pd.DataFrame:
    """A code applies when one of its keywords is a word (or hashtag) of the text."""
    tokens = texts.fillna("").map(keyword_tokens)
    return pd.DataFrame(
        {c.id: tokens.map(lambda t, k=frozenset(c.keywords): bool(t & k)) for c in codebook.codes},
        index=texts.index,
    )


# Words and word pairs must be in at least two training posts to be features, once there
# are this many posts; below it, every word counts (two posts rarely share a word).
MIN_DF_POSTS = 20


def model(n_posts: int = MIN_DF_POSTS):
    """The supervised model for one code, trained on ``n_posts`` posts."""
    return make_pipeline(
        TfidfVectorizer(
            ngram_range=(1, 2),
            min_df=2 if n_posts >= MIN_DF_POSTS else 1,
            sublinear_tf=True,
            lowercase=True,
        ),
        LogisticRegression(class_weight="balanced", max_iter=2000),
    )


# Fewer coded posts than this are too few to train and score a model on.
MIN_CODED = 10


def can_learn(texts: pd.Series) -> bool:
    """Whether a model can be trained and scored on these coded posts: at least
    ``MIN_CODED`` of them, with words the model's vectoriser keeps (posts of links or
    emoji only have none)."""
    if len(texts) < MIN_CODED:
        return False
    try:
        model(len(texts)).steps[0][1].fit(texts.fillna(""))
    except ValueError:  # "empty vocabulary"
        return False
    return True


def too_few(n_coded: int) -> str:
    """Why no model is trained on ``n_coded`` posts (for a sentence: "..., and <this>")."""
    if n_coded == 0:
        return "no post has been coded yet"
    if n_coded < MIN_CODED:
        return (
            f"only {n_coded:,} {'post has' if n_coded == 1 else 'posts have'} been coded "
            f"(it needs {MIN_CODED} or more)"
        )
    return "the coded posts have no words it can learn from (links or emoji only)"


def cross_validate(
    texts: pd.Series, labels: pd.DataFrame, codes: list[str], seed: int, folds: int = 5
) -> pd.DataFrame:
    """Out-of-fold predictions of the model for each code (seeded stratified folds)."""
    out = {}
    for code in codes:
        y = labels[code].astype(bool).to_numpy()
        k = min(folds, int(y.sum()), int((~y).sum()))
        if k < 2:
            out[code] = pd.Series(y, index=texts.index)  # one class only: nothing to learn
            continue
        cv = StratifiedKFold(n_splits=k, shuffle=True, random_state=seed)
        out[code] = pd.Series(
            cross_val_predict(model(len(y)), texts.fillna(""), y, cv=cv), index=texts.index
        )
    return pd.DataFrame(out)


def scores(predicted: pd.DataFrame, labels: pd.DataFrame, codes: list[str]) -> pd.DataFrame:
    """Kappa and F1 of predictions against the human codes, per code."""
    rows = []
    for code in codes:
        y, p = labels[code].astype(bool), predicted[code].astype(bool)
        rows.append(
            {"code": code, "kappa": kappa(y, p), "f1": float(f1_score(y, p, zero_division=0))}
        )
    return pd.DataFrame(rows)


def fit_predict(
    texts: pd.Series, labels: pd.DataFrame, new: pd.Series, codes: list[str]
) -> pd.DataFrame:
    """Train on all coded posts, suggest codes for ``new`` texts."""
    out = {}
    for code in codes:
        y = labels[code].astype(bool).to_numpy()
        if new.empty:  # nothing to suggest codes for
            out[code] = pd.Series(dtype=bool, index=new.index)
            continue
        if y.all() or not y.any():
            out[code] = pd.Series(bool(y[0]) if len(y) else False, index=new.index)
            continue
        out[code] = pd.Series(
            model(len(y)).fit(texts.fillna(""), y).predict(new.fillna("")), index=new.index
        )
    return pd.DataFrame(out)


def score_text(scores: pd.DataFrame, f1: bool = True) -> str:
    """Per code, its κ (and F1) against the human codes, as the chapter prints them; a
    code every coded post has, or none has, gives κ no meaning, and the text says so."""
    import math

    parts = []
    for r in scores.itertuples():
        if r.kappa is None or math.isnan(r.kappa):
            parts.append(f"{r.code}: no κ (every coded post has it, or none)")
        else:
            parts.append(f"{r.code} κ **{r.kappa:.2f}**" + (f", F1 **{r.f1:.2f}**" if f1 else ""))
    return "; ".join(parts)
