"""Vendor the front-end files listed in vendor.toml into static/vendor/ (no node_modules).

python scripts/vendor.py           fetch with `npm pack`, copy, build the icon sprite, MANIFEST
python scripts/vendor.py --check   verify the files on disk against MANIFEST.txt (no network)
"""

import hashlib
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENDOR = ROOT / "static" / "vendor"
MANIFEST = VENDOR / "MANIFEST.txt"
LICENCE_NAMES = ("LICENSE", "LICENSE.md", "LICENSE.txt", "LICENCE", "LICENSE.md")


def npm_pack(name: str, version: str, workdir: Path) -> Path:
    # npm is the registry's own client; the arguments come from our vendor.toml, not from users.
    out = (
        subprocess.run(  # noqa: S603
            ["npm", "pack", f"{name}@{version}", "--silent"],  # noqa: S607
            cwd=workdir,
            check=True,
            capture_output=True,
            text=True,
        )
        .stdout.strip()
        .splitlines()[-1]
    )
    unpacked = workdir / re.sub(r"\W", "_", name)
    with tarfile.open(workdir / out) as archive:
        archive.extractall(unpacked, filter="data")
    return unpacked / "package"


def copy_licence(package: Path, target: Path) -> None:
    for candidate in LICENCE_NAMES:
        if (package / candidate).exists():
            shutil.copy(package / candidate, target / "LICENSE")
            return
    raise SystemExit(f"no licence file in {package}")


def build_sprite(package: Path, names: list[str], target: Path) -> None:
    symbols = []
    for name in names:
        svg = (package / "icons" / f"{name}.svg").read_text()
        inner = re.search(r"<svg[^>]*>(.*)</svg>", svg, re.S).group(1)
        inner = re.sub(r"<!--.*?-->", "", inner, flags=re.S)
        inner = re.sub(r"\s+", " ", inner).strip()
        symbols.append(
            f'<symbol id="i-{name}" viewBox="0 0 24 24" fill="none" stroke="currentColor" '
            f'stroke-width="2" stroke-linecap="round" stroke-linejoin="round">{inner}</symbol>'
        )
    (target / "sprite.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg">' + "".join(symbols) + "</svg>\n"
    )


def copy_fonts(package: Path, subsets: list[str], target: Path) -> None:
    css = (package / "index.css").read_text()
    faces = []
    for block in re.findall(r"/\* ([\w-]+)-wght-normal \*/\s*@font-face\s*{(.*?)}", css, re.S):
        subset, body = block
        subset = subset.removeprefix("inter-")
        if subset not in subsets:
            continue
        filename = f"inter-{subset}-wght-normal.woff2"
        shutil.copy(package / "files" / filename, target / filename)
        unicode_range = re.search(r"unicode-range:\s*([^;]+);", body).group(1)
        faces.append(
            "@font-face {\n  font-family: 'Inter Variable';\n  font-style: normal;\n"
            "  font-display: swap;\n  font-weight: 100 900;\n"
            f"  src: url(./{filename}) format('woff2-variations');\n"
            f"  unicode-range: {unicode_range};\n}}\n"
        )
    if len(faces) != len(subsets):
        raise SystemExit(f"expected {len(subsets)} font subsets, found {len(faces)}")
    (target / "inter.css").write_text("\n".join(faces))


def write_manifest() -> None:
    lines = []
    for path in sorted(VENDOR.rglob("*")):
        if path.is_file() and path.name not in ("MANIFEST.txt", "README.md"):
            digest = hashlib.sha256(path.read_bytes()).hexdigest()
            lines.append(f"{digest}  {path.relative_to(VENDOR).as_posix()}")
    MANIFEST.write_text("\n".join(lines) + "\n")


def check() -> int:
    bad = []
    for line in MANIFEST.read_text().splitlines():
        digest, name = line.split("  ", 1)
        path = VENDOR / name
        if not path.exists() or hashlib.sha256(path.read_bytes()).hexdigest() != digest:
            bad.append(name)
    for name in bad:
        print(f"changed or missing: {name}")  # noqa: T201
    return 1 if bad else 0


def main() -> int:
    if "--check" in sys.argv:
        return check()
    config = tomllib.loads((ROOT / "vendor.toml").read_text())
    with tempfile.TemporaryDirectory() as temp:
        for spec in config["package"]:
            package = npm_pack(spec["name"], spec["version"], Path(temp))
            target = VENDOR / spec["folder"]
            shutil.rmtree(target, ignore_errors=True)
            target.mkdir(parents=True)
            copy_licence(package, target)
            for source, name in spec.get("files", {}).items():
                shutil.copy(package / source, target / name)
            if "sprite" in spec:
                build_sprite(package, spec["sprite"], target)
            if "fonts" in spec:
                copy_fonts(package, spec["fonts"], target)
    write_manifest()
    return 0


if __name__ == "__main__":
    sys.exit(main())
