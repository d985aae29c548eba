"""How tables are set for the web book and the PDF."""


def test_a_pdf_table_is_a_list_table_whose_cells_cannot_start_a_list_or_a_comment():
    import pandas as pd

    from datasaveslives.report import display

    text = display.markdown_table(
        pd.DataFrame({"Figure": ["% of users", "-22", "1. first"], "Value": [1, 2, None]})
    )
    lines = text.splitlines()
    assert lines[0] == ":::{list-table}" and lines[-1] == ":::"
    assert ":widths: 14 8" in lines
    assert "* - \\% of users" in lines and "* - \\-22" in lines and "* - 1\\. first" in lines
    assert "  -  " in lines  # an empty cell stays a cell


def test_input_files_are_told_apart_by_the_fewest_parts_of_their_paths():
    from datasaveslives.report import display

    assert display.file_names(["/home/me/a.jsonl", "/home/me/b.jsonl"]) == ["a.jsonl", "b.jsonl"]
    collected = ["/x/c/bluesky/search/000001.jsonl.gz", "/x/c/bluesky/profiles/000001.jsonl.gz",
                 "/x/c/bluesky/search/000002.jsonl.gz"]  # fmt: skip
    assert display.file_names(collected) == [
        "search/000001.jsonl.gz", "profiles/000001.jsonl.gz", "search/000002.jsonl.gz"]  # fmt: skip
    assert display.file_names([]) == []


def test_file_sizes_are_said_as_a_browser_says_them():
    from datasaveslives.report import display

    assert display.file_size(1_754_646) == "1.8 MB"
    assert display.file_size(1_000_000) == "1.0 MB"
    assert display.file_size(840_400) == "840 kB"
    assert display.file_size(1_000) == "1 kB"
    assert display.file_size(312) == "312 bytes"
    assert display.file_size(1) == "1 byte"
