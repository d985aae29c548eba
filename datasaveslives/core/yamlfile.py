"""Reading the project's YAML files with one clear error for an unreadable or invalid file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml


def load(path: str | Path, what: str, error: type[Exception]) -> Any:
    """The YAML document in ``path``; ``error`` naming ``what`` and the file when it
    cannot be read or parsed."""
    try:
        return yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except OSError as err:
        raise error(f"cannot read {what} {path}: {err.strerror}") from None
    except UnicodeDecodeError:
        raise error(f"{what} {path} is not UTF-8 text (a YAML file is expected)") from None
    except yaml.YAMLError as err:
        raise error(f"{what} {path} is not valid YAML: {err}") from None
