#!/bin/sh
# update.sh refreshes the vendored plotly.js bundle from the npm registry:
#   sh serve/assets/vendor/update.sh [VERSION]
# It packs plotly.js-dist-min at VERSION (default: the pinned one below),
# copies its plotly.min.js and LICENSE here and records the version and the
# SHA-256 of the bundle in PLOTLY_VERSION. Commit the three files; the
# playground embeds them with go:embed and loads nothing from a CDN.
set -eu
VERSION="${1:-4.1.2}"
HERE="$(cd "$(dirname "$0")" && pwd)"
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT
(cd "$TMP" && npm pack --silent "plotly.js-dist-min@$VERSION" >/dev/null)
tar -xzf "$TMP"/plotly.js-dist-min-"$VERSION".tgz -C "$TMP"
cp "$TMP/package/plotly.min.js" "$HERE/plotly.min.js"
cp "$TMP/package/LICENSE" "$HERE/PLOTLY_LICENSE"
SUM="$(sha256sum "$HERE/plotly.min.js" | cut -d' ' -f1)"
printf 'plotly.js-dist-min %s\nsha256 %s\n' "$VERSION" "$SUM" >"$HERE/PLOTLY_VERSION"
echo "plotly.js-dist-min $VERSION: $(wc -c <"$HERE/plotly.min.js") bytes, sha256 $SUM"
