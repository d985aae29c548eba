"""REFI-QDA projects (``.qdpx``): the exchange format that NVivo, ATLAS.ti, MAXQDA and
QualCoder read and write (https://www.qdasoftware.org).

A ``.qdpx`` file is a zip holding ``project.qde`` (XML, namespace
``urn:QDA-XML:project:1.0``) and the texts under ``sources/``. Here each post is a text
source named by its post id; the codebook's codes are the project's codes (named
``"A: To index and share information"``); a coder's coding of a post is a selection of
the whole text carrying the codes, made by that coder (a project user). Codes a coder
added become codes of their own; memos are notes; the posts a coder read are the set
``read by <coder>``. GUIDs are derived from names, so the same input gives the same file.
"""

from __future__ import annotations

import uuid
import zipfile
from pathlib import Path
from xml.etree import ElementTree as ET

import pandas as pd

from datasaveslives.coding.codebook import Codebook
from datasaveslives.coding.workbook import CodingFileError, coded_columns

NS = "urn:QDA-XML:project:1.0"
Q = f"{{{NS}}}"
_ROOT = uuid.UUID("6f1d2c1e-6a57-4d0e-9a3c-5d1a7d0c2b10")


def _guid(*parts: str) -> str:
    return str(uuid.uuid5(_ROOT, "\x1f".join(parts))).upper()


def export(
    sample: pd.DataFrame,
    codebook: Codebook,
    path: str | Path,
    coded: pd.DataFrame | None = None,
    name: str = "#datasaveslives coding sample",
) -> Path:
    """Write the sample (``post_id``, ``text``; ``order``) as a REFI-QDA project with the
    codebook as codes and, if given, the coded table's codings, added codes and memos."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    coded = coded if coded is not None else pd.DataFrame(columns=coded_columns(codebook))
    ET.register_namespace("", NS)
    project = ET.Element(
        f"{Q}Project",
        {"name": name, "origin": "datasaveslives", "creationDateTime": "2021-02-16T00:00:00Z"},
    )
    coders = sorted(coded["coder"].unique()) if len(coded) else []
    if coders:
        users = ET.SubElement(project, f"{Q}Users")
        for coder in coders:
            ET.SubElement(users, f"{Q}User", {"guid": _guid("user", coder), "name": coder})
    codes = ET.SubElement(ET.SubElement(project, f"{Q}CodeBook"), f"{Q}Codes")
    code_guid = {}
    for code in codebook.codes:
        code_guid[code.id] = _guid("code", code.id)
        element = ET.SubElement(
            codes,
            f"{Q}Code",
            {"guid": code_guid[code.id], "name": codebook.label(code.id), "isCodable": "true"},
        )
        ET.SubElement(element, f"{Q}Description").text = code.definition
    added = sorted({c for cell in coded.get("new_codes", []) for c in _split(cell)})
    if added:
        parent = ET.SubElement(
            codes,
            f"{Q}Code",
            {"guid": _guid("code", "new"), "name": "New codes", "isCodable": "false"},
        )
        for new in added:
            code_guid[new] = _guid("code", "new", new)
            ET.SubElement(
                parent, f"{Q}Code", {"guid": code_guid[new], "name": new, "isCodable": "true"}
            )
    by_post: dict[str, list[dict]] = {}  # each post's codings, in the table's order
    for row in coded.to_dict("records"):
        by_post.setdefault(str(row["post_id"]), []).append(row)
    sources = ET.SubElement(project, f"{Q}Sources")
    notes = []
    files = {}
    for post in sample.itertuples(index=False):
        pid = str(post.post_id)
        guid = _guid("source", pid)
        text = str(post.text)
        files[f"sources/{guid}.txt"] = text
        source = ET.SubElement(
            sources,
            f"{Q}TextSource",
            {"guid": guid, "name": pid, "plainTextPath": f"internal://{guid}.txt"},
        )
        refs = []  # the schema puts a source's note references after its selections
        for row in by_post.get(pid, []):
            user = _guid("user", row["coder"])
            marks = [c for c in codebook.ids if bool(row[c])] + _split(row["new_codes"])
            if marks:
                selection = ET.SubElement(
                    source,
                    f"{Q}PlainTextSelection",
                    {
                        "guid": _guid("selection", pid, row["coder"]),
                        "name": pid,
                        "startPosition": "0",
                        "endPosition": str(len(text)),
                        "creatingUser": user,
                    },
                )
                for mark in marks:
                    coding = ET.SubElement(
                        selection,
                        f"{Q}Coding",
                        {"guid": _guid("coding", pid, row["coder"], mark), "creatingUser": user},
                    )
                    ET.SubElement(coding, f"{Q}CodeRef", {"targetGUID": code_guid[mark]})
            if row["memo"]:
                note = _guid("note", pid, row["coder"])
                notes.append((note, pid, row["coder"], row["memo"]))
                refs.append(note)
        for note in refs:
            ET.SubElement(source, f"{Q}NoteRef", {"targetGUID": note})
    if notes:
        element = ET.SubElement(project, f"{Q}Notes")
        for guid, pid, coder, memo in notes:
            note_element = ET.SubElement(
                element,
                f"{Q}Note",
                {"guid": guid, "name": f"memo on {pid}", "creatingUser": _guid("user", coder)},
            )
            ET.SubElement(note_element, f"{Q}PlainTextContent").text = memo
    if coders:
        sets = ET.SubElement(project, f"{Q}Sets")
        for coder in coders:
            member = ET.SubElement(
                sets, f"{Q}Set", {"guid": _guid("set", coder), "name": f"read by {coder}"}
            )
            for pid in coded.loc[coded["coder"] == coder, "post_id"]:
                ET.SubElement(member, f"{Q}MemberSource", {"targetGUID": _guid("source", pid)})
    ET.indent(project)
    xml = ET.tostring(project, encoding="utf-8", xml_declaration=True)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for arcname, data in [("project.qde", xml), *sorted(files.items())]:
            info = zipfile.ZipInfo(arcname, date_time=(2021, 2, 16, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, data)
    return path


def _split(cell: object) -> list[str]:
    if not isinstance(cell, str):
        return []
    return [c.strip() for c in cell.split(";") if c.strip()]


def read(path: str | Path, codebook: Codebook, sample_ids: set[str] | None = None) -> pd.DataFrame:
    """The coded table of every coder in a REFI-QDA project.

    Codes are matched to the codebook by name (``"A: ..."`` or ``"A"``); other codes
    are codes the coders added. Posts are the text sources' names (post ids). A coder
    read a post when they coded it, wrote a memo on it or it is in their
    ``read by <coder>`` set."""
    path = Path(path)
    try:
        with zipfile.ZipFile(path) as zf:
            root = ET.fromstring(zf.read("project.qde"))
    except FileNotFoundError:
        raise CodingFileError(f"{path}: no such file") from None
    except (zipfile.BadZipFile, KeyError):
        raise CodingFileError(f"{path}: not a REFI-QDA project (no project.qde in a zip)") from None
    except ET.ParseError as err:
        raise CodingFileError(f"{path}: project.qde is not valid XML ({err})") from None
    if root.tag != f"{Q}Project":
        raise CodingFileError(f"{path}: project.qde is not a REFI-QDA project")
    users = {u.get("guid"): u.get("name") or "unknown coder" for u in root.iter(f"{Q}User")}
    by_name = {}
    for code in codebook.ids:
        by_name[codebook.label(code).casefold()] = code
        by_name[code.casefold()] = code
    codes = {
        c.get("guid"): by_name.get((c.get("name") or "").casefold(), c.get("name"))
        for c in root.iter(f"{Q}Code")
    }
    source_of = {}
    found: dict[tuple[str, str], dict] = {}

    def entry(coder: str, pid: str) -> dict:
        return found.setdefault(
            (coder, pid), {"codes": set(), "memo": "", "coder": coder, "post_id": pid}
        )

    for source in root.iter(f"{Q}TextSource"):
        pid = source.get("name") or ""
        if sample_ids is not None and pid not in sample_ids:
            raise CodingFileError(f"{path}: source {pid!r} is not a post of the sample")
        source_of[source.get("guid")] = pid
        for selection in source.iter(f"{Q}PlainTextSelection"):
            for coding in selection.iter(f"{Q}Coding"):
                user = coding.get("creatingUser") or selection.get("creatingUser")
                coder = users.get(user, "unknown coder")
                for ref in coding.iter(f"{Q}CodeRef"):
                    named = codes.get(ref.get("targetGUID"))
                    if named is None:
                        raise CodingFileError(
                            f"{path}: post {pid} refers to a code that the project does not define"
                        )
                    entry(coder, pid)["codes"].add(named)
    note_source = {
        ref.get("targetGUID"): source_of[s.get("guid")]
        for s in root.iter(f"{Q}TextSource")
        for ref in s.iter(f"{Q}NoteRef")
    }
    for note in root.iter(f"{Q}Note"):
        noted = note_source.get(note.get("guid"))
        if noted is not None:
            text = note.findtext(f"{Q}PlainTextContent") or ""
            entry(users.get(note.get("creatingUser"), "unknown coder"), noted)["memo"] = text
    for member_set in root.iter(f"{Q}Set"):
        name = member_set.get("name") or ""
        if name.startswith("read by "):
            for member in member_set.iter(f"{Q}MemberSource"):
                if member.get("targetGUID") in source_of:
                    entry(name.removeprefix("read by "), source_of[member.get("targetGUID")])
    rows = []
    for (coder, pid), e in sorted(found.items()):
        rows.append(
            {
                "coder": coder,
                "post_id": pid,
                **{c: c in e["codes"] for c in codebook.ids},
                "new_codes": "; ".join(sorted(e["codes"] - set(codebook.ids))),
                "memo": e["memo"],
            }
        )
    if not rows:
        raise CodingFileError(f"{path}: the project holds no coding")
    return pd.DataFrame(rows, columns=coded_columns(codebook))
