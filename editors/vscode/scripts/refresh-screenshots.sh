#!/usr/bin/env bash
# Refresh editors/vscode/images/{hover,completion}.png from a real VS Code run: the code-server
# end-to-end test (tests/editors/test_vscode.py) builds and installs the .vsix, drives the
# workbench in headless Chromium and, with HGLS_SCREENSHOT_DIR set, copies its screenshots here.
#
# Needs: bash .ci/install-editors.sh, and the server installed in the Python that runs pytest
# (pip install -e .). Usage: editors/vscode/scripts/refresh-screenshots.sh [python]
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)
PYTHON=${1:-${PYTHON:-python3}}
cd "$ROOT"
HGLS_SCREENSHOT_DIR="$ROOT/editors/vscode/images" CI=true \
  "$PYTHON" -m pytest -p no:cacheprovider -q -m editor tests/editors/test_vscode.py
ls -l "$ROOT/editors/vscode/images/hover.png" "$ROOT/editors/vscode/images/completion.png"
