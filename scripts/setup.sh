#!/usr/bin/env bash
# Create or refresh the project's virtual environment and the Debian packages the suite needs.
# Idempotent: re-running does only what is missing. Called by `make setup` (and so by `make report`
# and `make test`); safe to call by hand.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-python3}
VENV=${VENV:-.venv}
# fonts-noto-cjk: CJK glyphs for charts and PDFs; chromium: headless PDF printing;
# poppler-utils: pdftotext/pdffonts used by the export tests.
DEB_PACKAGES=(fonts-noto-cjk chromium poppler-utils)

missing=()
for pkg in "${DEB_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
    echo "setup: installing Debian packages: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    fc-cache -f >/dev/null 2>&1 || true
  else
    echo "setup: missing Debian packages: ${missing[*]}" >&2
    echo "setup: run as root:  apt-get update && apt-get install -y ${missing[*]}" >&2
    echo "setup: continuing; charts fall back with a warning and PDF export will fail until installed." >&2
  fi
fi

if [ ! -x "$VENV/bin/python" ]; then
  echo "setup: creating virtual environment in $VENV"
  "$PYTHON" -m venv "$VENV"
fi

# Re-install only when the dependency declaration changed.
stamp="$VENV/.liyang-ip-installed"
want=$(sha256sum pyproject.toml | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  echo "setup: installing Python dependencies into $VENV"
  "$VENV/bin/python" -m pip install -q --upgrade pip
  "$VENV/bin/python" -m pip install -q -e ".[test]"
  "$VENV/bin/python" -m ipykernel install --sys-prefix --name python3 >/dev/null
  echo "$want" > "$stamp"
fi
