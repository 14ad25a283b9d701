#!/usr/bin/env bash
# Re-vendor the portal's front-end assets from the npm registry (`npm pack`, no node_modules),
# then rewrite VENDORED.toml with each file's version, licence and sha256. Nothing is fetched at
# run time: the portal serves these files itself (no CDN). Change a version here, run, commit.
set -euo pipefail
cd "$(dirname "$0")"
HTMX=2.0.11
BOOTSTRAP=5.3.8
FONT=5.3.0
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent "htmx.org@$HTMX" "bootstrap@$BOOTSTRAP" "@fontsource/noto-naskh-arabic@$FONT" >/dev/null)
for tgz in "$work"/*.tgz; do mkdir -p "${tgz%.tgz}" && tar xzf "$tgz" -C "${tgz%.tgz}"; done
h="$work/htmx.org-$HTMX/package" b="$work/bootstrap-$BOOTSTRAP/package" f="$work/fontsource-noto-naskh-arabic-$FONT/package"
mkdir -p htmx bootstrap noto-naskh-arabic
cp "$h/dist/htmx.min.js" "$h/LICENSE" htmx/
cp "$b/dist/css/bootstrap.min.css" "$b/dist/css/bootstrap.rtl.min.css" "$b/dist/js/bootstrap.bundle.min.js" "$b/LICENSE" bootstrap/
cp "$f/files/noto-naskh-arabic-arabic-400-normal.woff2" "$f/files/noto-naskh-arabic-arabic-700-normal.woff2" "$f/LICENSE" noto-naskh-arabic/
# The maps are not vendored: drop the comments that would make browsers ask for them.
sed -i '/sourceMappingURL=/d' bootstrap/*.css bootstrap/*.js
entry() {  # name version licence directory
  printf '\n[[package]]\nname = "%s"\nversion = "%s"\nlicence = "%s"\nfiles = [\n' "$1" "$2" "$3"
  for file in "$4"/*; do printf '  { path = "%s", sha256 = "%s" },\n' "$file" "$(sha256sum "$file" | cut -d' ' -f1)"; done
  printf ']\n'
}
{
  echo "# Front-end assets served by the portal, vendored by update.sh from the npm registry."
  echo "# sha256 of each file as served (source-map comments removed); tests/unit/test_portal_vendored.py checks them."
  entry "htmx.org" "$HTMX" "0BSD" htmx
  entry "bootstrap" "$BOOTSTRAP" "MIT" bootstrap
  entry "@fontsource/noto-naskh-arabic" "$FONT" "OFL-1.1" noto-naskh-arabic
} > VENDORED.toml
echo "vendored: htmx.org $HTMX, bootstrap $BOOTSTRAP, @fontsource/noto-naskh-arabic $FONT"
