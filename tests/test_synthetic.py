"""The shipped synthetic corpus: reproducible, labelled, private, and calibrated."""

from __future__ import annotations

import gzip

import orjson
import pandas as pd
import pytest

from datasaveslives.core import paths
from datasaveslives.core.files import sha256_of
from datasaveslives.synth import build, calibration, spec
from datasaveslives.synth.search import network_figures

CORPUS = paths.SYNTHETIC


@pytest.fixture(scope="module")
def meta():
    return build.read_meta(CORPUS)


@pytest.fixture(scope="module")
def table():
    return calibration.check(CORPUS)


def test_shipped_files_match_their_checksums(meta):
    for name, digest in meta["files"].items():
        assert sha256_of(CORPUS / name) == digest, name


@pytest.fixture(scope="module")
def regenerated(meta):
    """The campaign generated anew from the shipped seed (16 s: made once)."""
    return build.generate(meta["seed"])


def test_same_seed_gives_identical_bytes(tmp_path, meta, regenerated):
    """Regenerating with the shipped seed reproduces every shipped file, byte for byte."""
    files = build.write(regenerated, tmp_path)
    assert files == meta["files"]


def test_network_step_is_deterministic():
    a = network_figures(7)
    b = network_figures(7)
    assert a == b


def test_metadata_says_synthetic(meta):
    assert meta["synthetic"] is True
    assert meta["generator_version"]
    assert meta["targets"]["sha256"] == sha256_of(paths.PAPER_FIGURES)
    assert {p["start"] for p in meta["extrapolated"]} == {"2016-01-01", "2017-09-01"}


def test_every_record_is_labelled_synthetic_and_ingestible():
    with gzip.open(CORPUS / build.CORPUS_FILE) as fh:
        first = orjson.loads(fh.readline())
    assert "synthetic" in first["source"]
    assert first["user"]["id_str"] and first["full_text"]


def test_exact_figures_hold(table):
    exact = table[table["tolerance"] == "equal"]
    assert len(exact) >= 85
    assert exact["ok"].all(), exact[~exact["ok"]].to_string()
    rows = table.set_index("figure")
    assert rows.loc["Posts", "achieved"] == 13895
    assert rows.loc["Originals retweeted", "achieved"] == 2756
    assert rows.loc["Weekly SD", "ok"]


def test_every_calibrated_figure_within_tolerance(table):
    target = calibration.calibrated(table)
    assert target["ok"].all(), target[~target["ok"]].to_string()


def test_held_out_figures_are_checked_but_are_not_calibration_targets(table):
    held = calibration.held_out(table)
    assert len(held) >= 30 and (held["basis"] == "held-out").all()
    assert len(held) + len(calibration.calibrated(table)) == len(table)
    lines = calibration.summary(table)
    assert lines[0].endswith("calibrated figures within tolerance")
    assert f"of {len(held)} held-out figures" in lines[1]


def test_table3_words_are_calibrated_counts_not_chance(table):
    words = table[table["key"].fillna("").str.contains("_words.")]
    assert len(words) >= 90
    assert words["ok"].all(), words[~words["ok"]].to_string()


def test_calibration_check_fails_on_a_damaged_corpus(tmp_path, meta):
    """The check can fail: drop one retweet and a dozen counts go wrong."""
    for name in (build.POSTS_FILE, build.USERS_FILE, build.DELETIONS_FILE, build.META_FILE):
        (tmp_path / name).write_bytes((CORPUS / name).read_bytes())
    with gzip.open(CORPUS / build.CORPUS_FILE) as fh:
        lines = fh.readlines()
    in_window = next(
        i
        for i, line in enumerate(lines)
        if b'"retweeted_status"' in line
        and orjson.loads(line)["created_at"].endswith("2017")
        and " Jan " in orjson.loads(line)["created_at"]
    )
    del lines[in_window]
    with gzip.open(tmp_path / build.CORPUS_FILE, "wb") as fh:
        fh.writelines(lines)
    damaged = calibration.check(tmp_path).set_index("figure")
    assert not damaged.loc["Posts", "ok"]
    assert not damaged.loc["Retweets", "ok"]


def test_only_named_accounts_keep_names():
    users = pd.read_csv(CORPUS / build.USERS_FILE, dtype={"user_id": str})
    named = {a.name for a in spec.SUPPORTERS + spec.NAMED}
    keep = users[~users["screen_name"].str.startswith("user_")]
    assert set(keep["screen_name"]) <= named
    assert set(users.loc[users["named_in_paper"], "screen_name"]) == named


def test_quotable_texts_are_the_papers_own():
    posts = pd.read_csv(CORPUS / build.POSTS_FILE, dtype={"post_id": str})
    quotable = posts[posts["quotable"]]
    with gzip.open(CORPUS / build.CORPUS_FILE) as fh:
        texts = {
            rec["id_str"]: rec["full_text"]
            for rec in map(orjson.loads, fh)
            if "retweeted_status" not in rec
        }
    paper = yaml_texts()
    assert len(quotable) >= 20
    for pid in quotable["post_id"]:
        assert texts[pid] in paper
    assert not quotable["deleted"].any()


def yaml_texts() -> set[str]:
    from datasaveslives.synth import text

    t = spec.targets()
    out = {row["text"] for row in t["top_shared_tweets"] if row.get("text")}
    out |= {row["text"] for row in t["themes"]["table4_examples"]}
    out |= {q[2] for q in text.PAPER_QUOTES}
    return out


def test_deleted_posts_are_listed():
    deletions = pd.read_csv(CORPUS / build.DELETIONS_FILE, dtype={"id": str})
    posts = pd.read_csv(CORPUS / build.POSTS_FILE, dtype={"post_id": str})
    deleted_top = posts.loc[posts["top_rank"].isin([3, 10]), "post_id"]
    assert set(deleted_top) <= set(deletions.loc[deletions["kind"] == "post", "id"])
    assert (deletions["kind"] == "user").sum() == len(spec.DELETED_AUTHORS)


@pytest.fixture(scope="module")
def scaled(tmp_path_factory, meta, regenerated):
    """A corpus of two replicas, as `synth --scale 2` writes it, generated in this
    process: replica 0 is the campaign regenerated above (the same seed, checked byte for
    byte by test_same_seed_gives_identical_bytes), so that only replica 1 is generated."""
    generate = build.generate

    def reusing(seed, model=None, replica=0):
        same = (seed, model, replica) == (meta["seed"], None, 0)
        return regenerated if same else generate(seed, model, replica)

    out = tmp_path_factory.mktemp("scaled")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(build, "generate", reusing)
        return out, build.write_scaled(out, seed=meta["seed"], scale=2, jobs=1)


def test_scaled_corpus_keeps_structure_and_unique_ids(scaled):
    out, meta = scaled
    posts = pd.read_csv(out / build.POSTS_FILE, dtype={"post_id": str})
    users = pd.read_csv(out / build.USERS_FILE, dtype={"user_id": str})
    ids = set()
    for name in meta["files"]:
        with gzip.open(out / name) as fh:
            ids |= {orjson.loads(line)["id"] for line in fh}
    # Every post has its own id across replicas (repeated records are exact copies).
    assert len(ids) == len(posts) == meta["posts"]
    assert posts["post_id"].is_unique and users["user_id"].is_unique
    # Real names appear once: the replica is pseudonymous.
    assert (users["screen_name"] == "FarrInstitute").sum() == 1
    counts = posts[~posts["extrapolated"]]["type"].value_counts()
    assert counts["retweet"] == 2 * 9720


def test_a_scaled_corpus_is_written_one_file_per_replica(scaled):
    from datasaveslives.core.params import is_synthetic_corpus

    tmp_path, meta = scaled
    files = sorted((tmp_path / build.RECORDS_DIR).iterdir())
    assert [f.name for f in files] == ["replica_0000.jsonl.gz", "replica_0001.jsonl.gz"]
    assert meta["scale"] == 2 and meta["synthetic"] is True
    assert is_synthetic_corpus([tmp_path / build.RECORDS_DIR])  # labelled as synthetic
    assert (tmp_path / build.DELETIONS_FILE).is_file()


def test_the_calibration_is_checked_once_per_corpus_and_code(tmp_path, monkeypatch):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "records.jsonl").write_text("{}\n")
    checked = []

    def check(corpus_dir, seed=None):
        checked.append(corpus_dir)
        return pd.DataFrame({"key": ["a"], "ok": [True], "this_run": [len(checked)]})

    monkeypatch.setattr(calibration, "check", check)
    cache = tmp_path / "cache"
    first = calibration.check_cached(corpus, cache)
    again = calibration.check_cached(corpus, cache)
    assert len(checked) == 1 and again.equals(first)
    (corpus / "records.jsonl").write_text("{}\n{}\n")  # another corpus: checked again
    assert calibration.check_cached(corpus, cache)["this_run"].iloc[0] == 2
    for entry in (cache / "calibration").iterdir():
        entry.write_bytes(b"damaged")  # an entry that cannot be read: checked again
    assert calibration.check_cached(corpus, cache)["this_run"].iloc[0] == 3
    assert calibration.check_cached(corpus, None)["this_run"].iloc[0] == 4  # no cache
    assert not list((cache / "calibration").glob("*.incoming"))
