"""A Sphinx extension (listed in ``_config.yml``): every page of the book links its home.

The staging step (``staging.stage_book``) sets ``compendium_links``, a dict of the
links this build can honestly give: ``repository`` and ``binder`` (addresses, when the
repository is known), ``pdf`` (the PDF's path inside the HTML folder, when the build
typesets one) and ``citation`` (a page and anchor of the book). Each page gets them
twice, with paths relative to that page: in a "This book" menu of the page's header
buttons, and as a line of text at the foot of the page (which a printout keeps).
"""

from __future__ import annotations

import html
from typing import Any

# (key, text, icon, tooltip), in the order they are shown.
LINKS = (
    ("repository", "Source code", "fab fa-github", "The compendium's repository"),
    ("binder", "Launch on Binder", "fas fa-rocket", "Run the compendium's notebooks on Binder"),
    ("pdf", "PDF of the book", "fas fa-file-pdf", "The whole book as one PDF"),
    ("citation", "How to cite", "fas fa-quote-right", "How to cite this book"),
)


def page_links(config: dict[str, str | None], pathto: Any) -> list[tuple[str, str, str, str]]:
    """(key, text, url, icon) of each configured link, its url relative to the page
    ``pathto`` belongs to."""
    out = []
    for key, text, icon, _ in LINKS:
        target = config.get(key)
        if not target:
            continue
        if key == "pdf":
            url = pathto(target, 1)
        elif key == "citation":
            doc, _, anchor = target.partition("#")
            page = pathto(doc)  # "#" on that page itself
            url = (page.removesuffix("#") + f"#{anchor}") if anchor else page
        else:
            url = target
        out.append((key, text, url, icon))
    return out


def _add_links(app: Any, pagename: str, templatename: str, context: dict, doctree: Any) -> None:
    links = page_links(app.config.compendium_links or {}, context["pathto"])
    if not links:
        return
    tooltips = {key: tip for key, _, _, tip in LINKS}
    buttons = context.setdefault("header_buttons", [])
    buttons.insert(
        0,
        {
            "type": "group",
            "tooltip": "This book's links",
            "icon": "fas fa-book",
            "label": "compendium-links",
            "buttons": [
                {
                    "type": "link",
                    "url": url,
                    "text": text,
                    "icon": icon,
                    "tooltip": tooltips[key],
                    "label": f"compendium-{key}",
                }
                for key, text, url, icon in links
            ],
        },
    )
    line = " · ".join(
        f'<a class="compendium-{key}" href="{html.escape(url)}">{html.escape(text)}</a>'
        for key, text, url, _ in links
    )
    footer = context.get("theme_extra_footer") or ""
    context["theme_extra_footer"] = f'{footer}<p class="compendium-links">{line}</p>'


def setup(app: Any) -> dict[str, Any]:
    app.add_config_value("compendium_links", {}, "html", [dict])
    # After the theme's own buttons (priority 501), so that the menu comes first.
    app.connect("html-page-context", _add_links, priority=910)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
