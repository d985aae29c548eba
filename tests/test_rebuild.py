"""A rebuild with nothing changed does nothing: the build's digest (report.build_key)
against the one its published book was built from (core.publication)."""

from __future__ import annotations

import shutil

from datasaveslives.core import paths, publication
from datasaveslives.core.params import Params
from datasaveslives.report import build_key


def _published(tmp_path, built_from: str | None = "k"):
    root, html = tmp_path / "run", tmp_path / "run" / "html"
    (html / "book").mkdir(parents=True)
    (html / "book" / "intro.html").write_text("<p>intro</p>")
    (root / "tables").mkdir()
    (root / "tables" / "posts.parquet").write_bytes(b"posts")
    publication.write_manifest(root, html, None, built_from)
    return root, html


def test_a_book_is_up_to_date_only_when_built_from_the_same_digest_and_unchanged(tmp_path):
    root, html = _published(tmp_path)
    assert publication.up_to_date(root, html, None, "k")
    assert not publication.up_to_date(root, html, None, "another digest")
    assert not publication.up_to_date(root, html, root / "book.pdf", "k")  # a PDF now wanted
    (html / "book" / "intro.html").write_text("<p>edited by hand</p>")
    assert not publication.up_to_date(root, html, None, "k")  # not what was published


def test_a_manifest_without_a_digest_or_with_a_pdf_not_wanted_is_not_up_to_date(tmp_path):
    root, html = _published(tmp_path, built_from=None)  # written before digests existed
    assert not publication.up_to_date(root, html, None, "k")
    shutil.rmtree(root)
    root, html = _published(tmp_path)
    pdf = root / "book.pdf"
    pdf.write_bytes(b"%PDF")
    publication.write_manifest(root, html, pdf, "k")
    assert publication.up_to_date(root, html, pdf, "k")
    assert not publication.up_to_date(root, html, None, "k")  # the published PDF would stay
    pdf.unlink()
    assert not publication.up_to_date(root, html, pdf, "k")


def test_the_digest_follows_every_input_of_a_build(tmp_path, monkeypatch):
    params = Params.load(paths.PARAMS)
    options = dict(repository=None, pdf=False, strict=True, sections=("a",), summaries=())

    def key(p: Params = params, **changed: object) -> str:
        return build_key.key(p, **{**options, **changed})  # type: ignore[arg-type]

    first = key()
    assert key() == first  # the same build, the same digest
    assert key(pdf=True) != first and key(repository="https://github.com/a/b") != first
    assert key(sections=("a", "b")) != first
    assert key(Params.load(paths.PARAMS, start="2017-01-01")) != first
    # A file a parameter names: its content, not its name.
    codebook = tmp_path / "codebook.yml"
    codebook.write_text(paths.CODEBOOK.read_text())
    named = Params.load(paths.PARAMS, codebook=str(codebook))
    before = key(named)
    codebook.write_text(paths.CODEBOOK.read_text() + "\n# an edit\n")
    assert key(named) != before
    # The compendium's own files (a chapter, the code): their content.
    chapter = tmp_path / "chapter.md"
    chapter.write_text("# A chapter\n")
    monkeypatch.setattr(build_key, "PROJECT", (*build_key.PROJECT, str(chapter)))
    before = key()
    chapter.write_text("# A chapter, edited\n")
    assert key() != before
    before = key()
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")  # the date the book says it was built
    assert key() != before


def test_a_parameter_naming_the_project_or_the_build_folder_is_not_read_whole():
    named = build_key.named_files(
        {"a": ".", "b": str(paths.ROOT.parent), "c": "_build/cache", "d": ["data/codebook.yml"]}
    )
    assert named == [paths.ROOT / "data/codebook.yml"]
