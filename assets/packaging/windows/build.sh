#!/usr/bin/env bash
# The Windows release, cross-built on Debian: Standwatch-Setup-<version>.exe (NSIS,
# per-user) and standwatch-<version>-windows-x86_64.zip (portable: the .exe, README,
# licence), into OUT (default target/windows).
#
#   bash assets/packaging/windows/build.sh [OUT]
#   PROFILE=windows-test bash assets/packaging/windows/build.sh OUT   # CI's lighter build
#
# Needs the x86_64-pc-windows-gnu target (rustup), MinGW-w64 (gcc-mingw-w64-x86-64) and
# NSIS (nsis); installs them when missing and it may (as root).
set -euo pipefail
root=$(cd "$(dirname "$0")/../../.." && pwd)
out=${1:-$root/target/windows}
profile=${PROFILE:-release}
target=x86_64-pc-windows-gnu
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$HOME/.cache/standwatch-target}

missing=()
command -v x86_64-w64-mingw32-gcc >/dev/null || missing+=(gcc-mingw-w64-x86-64)
command -v makensis >/dev/null || missing+=(nsis)
if [ ${#missing[@]} -gt 0 ]; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi
rustup target list --installed | grep -qx "$target" || rustup target add "$target" >/dev/null

version=$(sed -n 's/^version = "\(.*\)"/\1/p' "$root/Cargo.toml" | head -1)
# The wgpu renderer too: Direct3D 12 where OpenGL cannot start (remote desktops, VMs).
cargo build --locked --quiet --manifest-path "$root/Cargo.toml" --profile "$profile" \
    --target "$target" --bin standwatch --features packaged,wgpu
exe=$CARGO_TARGET_DIR/$target/$profile/standwatch.exe

# Only Windows' own DLLs: nothing of MinGW's may be needed beside the .exe.
dlls=$(x86_64-w64-mingw32-objdump -p "$exe" | sed -n 's/^\s*DLL Name: //p' | tr 'A-Z' 'a-z' | sort -u)
for dll in $dlls; do
    case $dll in
        libgcc* | libwinpthread* | libstdc++* | *mingw*)
            echo "build.sh: standwatch.exe needs $dll, a MinGW DLL" >&2
            exit 1
            ;;
    esac
done

mkdir -p "$out"
setup=$out/Standwatch-Setup-$version.exe
size_kb=$(( $(stat -c %s "$exe") / 1024 ))
makensis -V2 -DVERSION="$version" -DEXE="$exe" -DROOT="$root" -DOUTFILE="$setup" \
    -DSIZE_KB="$size_kb" "$root/assets/packaging/windows/standwatch.nsi"
zip=$out/standwatch-$version-windows-x86_64.zip
python3 - "$zip" "$exe" "$root" <<'PY'
import sys, zipfile
zip_path, exe, root = sys.argv[1:]
with zipfile.ZipFile(zip_path, "w", zipfile.ZIP_DEFLATED) as z:
    z.write(exe, "Standwatch/standwatch.exe")
    z.write(f"{root}/README.md", "Standwatch/README.md")
    z.write(f"{root}/LICENSE", "Standwatch/LICENSE.txt")
PY
echo "$setup"
echo "$zip"
