#!/bin/sh
# Bring uv to a machine that lacks it, without touching the system Python (PEP 668 refuses
# `pip install` into it on Debian, Ubuntu and Homebrew): uv goes into a private virtual environment
# under the project (.tools/uv), or, where the venv module is missing, into a private folder.
#   scripts/bootstrap-uv.sh PYTHON DEST      ->  DEST/bin/uv
set -eu
python=${1:-python3}
dest=${2:-.tools/uv}
version=${UV_BOOTSTRAP_VERSION:-0.13.9}
rm -rf "$dest"
if "$python" -m venv "$dest" >/dev/null 2>&1 && [ -x "$dest/bin/python" ] && "$dest/bin/python" -m pip --version >/dev/null 2>&1; then
  "$dest/bin/python" -m pip install --quiet --disable-pip-version-check "uv==$version"
elif "$python" -m pip --version >/dev/null 2>&1; then
  rm -rf "$dest"
  # --target installs into a folder of ours: PEP 668 concerns only the interpreter's own site-packages
  "$python" -m pip install --quiet --disable-pip-version-check --target "$dest/lib" "uv==$version"
  mkdir -p "$dest/bin"
  ln -sf ../lib/bin/uv "$dest/bin/uv"
else
  echo "cannot bootstrap uv: $python has neither the venv module nor pip." >&2
  echo "Install uv (https://docs.astral.sh/uv/) or python3-venv, then run make again." >&2
  exit 1
fi
"$dest/bin/uv" --version
