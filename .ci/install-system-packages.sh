#!/usr/bin/env bash
# System packages that pip cannot install, for Debian (run as root):
# - TeX for the PDF (`make pdf`): the packages Jupyter Book's XeLaTeX build needs;
# - Chromium, driven headless by the browser test of the built HTML.
# Without them `make book` and `make test` still work; the PDF and browser tests are
# skipped with a reason.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq \
    texlive-xetex texlive-latex-extra texlive-fonts-recommended texlive-fonts-extra \
    latexmk lmodern fonts-freefont-otf \
    chromium poppler-utils
