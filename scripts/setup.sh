#!/usr/bin/env bash
# What report-lint needs besides a Rust toolchain, installed with apt-get when
# missing (through sudo when not root); anything else is already a crate.
# Safe to run again.
# - poppler's pdftotext with poppler-data (CJK encodings): PDF input
#   (docs/inputs/pdf.md). Without it every other format works and a PDF gets
#   an error saying what to install.
# - chromium, chromium-driver and fonts-wqy-microhei (a CJK font, so
#   screenshots show Chinese): the browser tests of `report-lint serve` and of
#   `--format html` (tests/browser.rs) drive a headless Chromium through
#   WebDriver. report-lint itself never needs a browser.

# - for the test suite only: python3 with python-docx and openpyxl, the
#   independent readers that open the annotated DOCX (`report-lint annotate`)
#   and the XLSX output in tests/annotate.rs and tests/formats.rs.
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

if [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1; then test_readers sudo; else test_readers ""; fi

missing=()
if ! command -v pdftotext >/dev/null 2>&1 || [ ! -d /usr/share/poppler ]; then
  missing+=(poppler-utils poppler-data)
fi
if ! command -v chromium >/dev/null 2>&1; then missing+=(chromium); fi
if ! command -v chromedriver >/dev/null 2>&1; then missing+=(chromium-driver); fi
if ! fc-list 2>/dev/null | grep -qi "wenquanyi micro hei"; then missing+=(fonts-wqy-microhei); fi

if [ ${#missing[@]} -eq 0 ]; then
  echo "setup: pdftotext present ($(pdftotext -v 2>&1 | head -1)); chromium, chromedriver and a CJK font present"
  exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "setup: no apt-get here; install with this system's package manager: ${missing[*]}" >&2
  exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
    echo "setup: not root and no sudo; run as root: apt-get install ${missing[*]}" >&2
    exit 0
  fi
fi
echo "setup: installing ${missing[*]}"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
command -v pdftotext >/dev/null 2>&1 && echo "setup: $(pdftotext -v 2>&1 | head -1)"
command -v chromedriver >/dev/null 2>&1 && echo "setup: $(chromedriver --version)"
