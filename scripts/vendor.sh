#!/usr/bin/env bash
# Re-fetch the pinned JavaScript libraries that the HTML report inlines, from the npm registry.
# Only the distribution files and the licence are kept; the report works offline from them.
# Usage: scripts/vendor.sh   (needs npm and access to registry.npmjs.org)
set -euo pipefail

# name@version -> files copied from the package (relative to its root)
PACKAGES=(
  "leaflet@1.9.4:dist/leaflet.js dist/leaflet.css LICENSE"
)

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dest="$here/src/sitrep/web/static/vendor"
command -v npm >/dev/null || { echo "vendor.sh: npm not found; install Node.js to re-vendor" >&2; exit 1; }
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

for entry in "${PACKAGES[@]}"; do
  spec="${entry%%:*}"
  files="${entry#*:}"
  name="${spec%@*}"
  (cd "$work" && npm pack --silent "$spec" >/dev/null)
  tarball="$(ls "$work"/"$name"-*.tgz)"
  mkdir -p "$work/$name"
  tar -xzf "$tarball" -C "$work/$name"
  target="$dest/$spec"
  rm -rf "$target"
  mkdir -p "$target"
  for f in $files; do
    cp "$work/$name/package/$f" "$target/$(basename "$f")"
  done
  # check the tarball against the integrity hash the registry published, and keep it for review
  published="$(cd "$work" && npm view "$spec" dist.integrity 2>/dev/null)"
  actual="sha512-$(openssl dgst -sha512 -binary "$tarball" | base64 -w0)"
  if [ "$published" != "$actual" ]; then
    echo "vendor.sh: $spec: tarball hash $actual does not match the registry's $published" >&2
    exit 1
  fi
  echo "$actual" > "$target/INTEGRITY"
  echo "vendored $spec -> ${target#$here/}"
done
