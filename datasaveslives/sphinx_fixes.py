"""A small Sphinx extension for the book's HTML (listed in ``_config.yml``).

sphinx-thebe adds its configuration script once per reading pass, and with the
pinned Sphinx a page can receive it twice; the second copy redeclares a ``const``
and the browser logs an error. Scripts are kept once each, in order.
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


def setup(app: Any) -> dict[str, Any]:
    app.connect("html-page-context", _unique_scripts, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
