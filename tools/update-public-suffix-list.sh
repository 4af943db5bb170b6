#!/usr/bin/env bash
# Refreshes src/Tessera/Certificates/PublicSuffixList.dat, the ICANN section of the Public Suffix List that the WebPki
# verifier profile uses to refuse wildcards directly above a public suffix (CA/B Forum BR §3.2.2.6 points CAs at the
# ICANN section only). Source: a local copy (default: Debian's publicsuffix package) or one downloaded by hand from
# https://publicsuffix.org/list/public_suffix_list.dat — Tessera never fetches it at run time.
# Usage: tools/update-public-suffix-list.sh [public_suffix_list.dat] [date-or-version]
set -euo pipefail
src=${1:-/usr/share/publicsuffix/public_suffix_list.dat}
version=${2:-$(dpkg-query -W -f='${Version}' publicsuffix 2>/dev/null || date -u +%Y-%m-%d)}
out=$(dirname "$0")/../src/Tessera/Certificates/PublicSuffixList.dat
[ -r "$src" ] || { echo "no list at $src (apt-get install publicsuffix, or pass a downloaded file)" >&2; exit 1; }
{
  echo "// This Source Code Form is subject to the terms of the Mozilla Public"
  echo "// License, v. 2.0. If a copy of the MPL was not distributed with this"
  echo "// file, You can obtain one at https://mozilla.org/MPL/2.0/."
  echo "//"
  echo "// The ICANN section of the Public Suffix List (https://publicsuffix.org), version $version,"
  echo "// extracted by tools/update-public-suffix-list.sh. Rules only; comments and the PRIVATE section removed."
  sed -n '/===BEGIN ICANN DOMAINS===/,/===END ICANN DOMAINS===/p' "$src" | grep -v '^//' | grep -v '^[[:space:]]*$'
} > "$out"
echo "wrote $(grep -vc '^//' "$out") rules to $out"
