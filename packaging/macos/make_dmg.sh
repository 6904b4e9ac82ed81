#!/usr/bin/env bash
# Make dist/Desk-<version>.dmg from dist/Desk.app (build it first: python packaging/build.py).
#
# The disk image opens on Desk.app beside a link to /Applications: drag to install.
# With the gym's certificates (README, "Packaging"):
#   DESK_CODESIGN_IDENTITY="Developer ID Application: Your Gym (TEAMID)"  signs the image,
#   DESK_NOTARY_PROFILE=desk-notary  (made once with `xcrun notarytool store-credentials`)
#     sends it to Apple's notary service, waits, and staples the ticket to it.
set -euo pipefail
cd "$(dirname "$0")/../.."

app=dist/Desk.app
if [ ! -d "$app" ]; then
  echo "no $app: run 'python packaging/build.py' on this Mac first" >&2
  exit 1
fi
version=$(/usr/libexec/PlistBuddy -c "Print CFBundleShortVersionString" "$app/Contents/Info.plist")
dmg="dist/Desk-$version.dmg"

staging=$(mktemp -d)
trap 'rm -rf "$staging"' EXIT
ditto "$app" "$staging/Desk.app"  # keeps the framework symlinks and signatures intact
ln -s /Applications "$staging/Applications"

rm -f "$dmg"
hdiutil create -volname "Desk $version" -srcfolder "$staging" -fs HFS+ -format UDZO -ov "$dmg"

if [ -n "${DESK_CODESIGN_IDENTITY:-}" ]; then
  codesign --sign "$DESK_CODESIGN_IDENTITY" --timestamp "$dmg"
fi
if [ -n "${DESK_NOTARY_PROFILE:-}" ]; then
  xcrun notarytool submit "$dmg" --keychain-profile "$DESK_NOTARY_PROFILE" --wait
  xcrun stapler staple "$dmg"
fi
echo "$dmg ($(du -h "$dmg" | cut -f1))"
