#!/usr/bin/env bash
# The whole test suite, from a fresh machine: installs the Python requirements, and Debian's Chromium (for the
# browser test) and HAProxy (for the replica tests) if missing, lints with ruff, then runs pytest. Extra
# arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."

python3 -m pip install --quiet --disable-pip-version-check --root-user-action=ignore -r requirements.txt

missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v haproxy >/dev/null 2>&1 || [ -x /usr/sbin/haproxy ] || missing+=(haproxy)
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi

python3 -m ruff check --quiet .

HSS_REQUIRE_BROWSER=1 exec python3 -m pytest -q -p no:cacheprovider "$@"
