#!/usr/bin/env bash
# What report-lint needs besides a Rust toolchain: poppler's pdftotext (PDF
# input, docs/inputs/pdf.md) with poppler-data (CJK encodings). Installs them
# with apt-get when missing (through sudo when not root); anything else is
# already a crate. Safe to run again. PDFs are the only input that needs it:
# without it every other format works and a PDF gets an error saying what to
# install.
#
# For the test suite only: python3 with python-docx and openpyxl, the
# independent readers that open the annotated DOCX (`report-lint annotate`)
# and the XLSX output in tests/annotate.rs and tests/formats.rs.
set -euo pipefail

test_readers() {
  if python3 -c "import docx, openpyxl" >/dev/null 2>&1; then
    echo "setup: python-docx and openpyxl present (test readers)"
    return 0
  fi
  if ! command -v python3 >/dev/null 2>&1 && command -v apt-get >/dev/null 2>&1; then
    $1 apt-get update -qq && $1 apt-get install -y -qq python3 python3-pip >/dev/null
  fi
  if ! python3 -m pip --version >/dev/null 2>&1 && command -v apt-get >/dev/null 2>&1; then
    $1 apt-get install -y -qq python3-pip >/dev/null
  fi
  echo "setup: installing python-docx and openpyxl (test readers of DOCX and XLSX output)"
  python3 -m pip install -q python-docx openpyxl 2>/dev/null \
    || python3 -m pip install -q --break-system-packages python-docx openpyxl
}

SUDO=""
if [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1; then SUDO="sudo"; fi
test_readers "$SUDO"

if command -v pdftotext >/dev/null 2>&1 && [ -d /usr/share/poppler ]; then
  echo "setup: pdftotext present ($(pdftotext -v 2>&1 | head -1))"
  exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "setup: no apt-get here; install poppler (pdftotext) and poppler-data with this system's package manager to read PDF reports" >&2
  exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
    echo "setup: not root and no sudo; run as root: apt-get install poppler-utils poppler-data" >&2
    exit 0
  fi
fi
echo "setup: installing poppler-utils poppler-data (pdftotext, for PDF reports)"
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq poppler-utils poppler-data >/dev/null
echo "setup: $(pdftotext -v 2>&1 | head -1)"
