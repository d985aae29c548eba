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

from datasaveslives.agreement import kappa
from datasaveslives.codebook import Codebook
from datasaveslives.words import keyword_tokens


def keyword_rules(texts: pd.Series, codebook: Codebook) -> pd.DataFrame:
    """A code applies when one of its keywords is a word (or hashtag) of the text."""
    tokens = texts.fillna("").map(keyword_tokens)
    return pd.DataFrame(
        {c.id: tokens.map(lambda t, k=frozenset(c.keywords): bool(t & k)) for c in codebook.codes},
        index=texts.index,
    )


def model():
    """The supervised model for one code."""
    return make_pipeline(
        TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True, lowercase=True),
        LogisticRegression(class_weight="balanced", max_iter=2000),
    )


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
            cross_val_predict(model(), texts.fillna(""), y, cv=cv), index=texts.index
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
        if y.all() or not y.any():
            out[code] = pd.Series(bool(y[0]) if len(y) else False, index=new.index)
            continue
        out[code] = pd.Series(
            model().fit(texts.fillna(""), y).predict(new.fillna("")), index=new.index
        )
    return pd.DataFrame(out)
