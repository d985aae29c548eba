"""Entry point for ``python -m datasaveslives``."""

from datasaveslives.cli import main

raise SystemExit(main())
