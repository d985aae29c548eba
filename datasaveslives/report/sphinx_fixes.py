"""A small Sphinx extension for the book's HTML (listed in ``_config.yml``).

sphinx-thebe adds its configuration script once per reading pass, and with the
pinned Sphinx a page can receive it twice; the second copy redeclares a ``const``
and the browser logs an error. Scripts are kept once each, in order.

The book's chapters are executed into ``.ipynb`` files for the build, but the
repository holds them as MyST Markdown (``book/<chapter>.md``, read as notebooks
by jupytext): launch links (Binder) are pointed at those sources.
"""

from __future__ import annotations

from typing import Any


def _unique_scripts(
    app: Any, pagename: str, templatename: str, context: dict, doctree: Any
) -> None:
    scripts = context.get("script_files")
    if not scripts:
        return
    seen, kept = set(), []
    for script in scripts:
        key = (
            getattr(script, "filename", None) or "",
            tuple(sorted((getattr(script, "attributes", None) or {}).items())),
        )
        if key not in seen:
            seen.add(key)
            kept.append(script)
    context["script_files"] = kept


def _launch_sources(
    app: Any, pagename: str, templatename: str, context: dict, doctree: Any
) -> None:
    def fix(item: Any) -> None:
        if isinstance(item, dict):
            url = item.get("url")
            if isinstance(url, str) and "urlpath=" in url and url.endswith(".ipynb"):
                item["url"] = url.removesuffix(".ipynb") + ".md"
            for value in item.values():
                fix(value)
        elif isinstance(item, list):
            for value in item:
                fix(value)

    fix(context.get("header_buttons"))


def setup(app: Any) -> dict[str, Any]:
    app.connect("html-page-context", _unique_scripts, priority=900)
    app.connect("html-page-context", _launch_sources, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
