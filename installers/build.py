"""Build the frozen program, check it, smoke-test it, and optionally the Windows installer.

    uv run python installers/build.py              build dist/shuangsuiji/ and smoke-test it
    uv run python installers/build.py --installer  … then the installer (makensis, LZMA)
    uv run python installers/build.py --installer-check   … only check that the NSIS
                                                     script compiles (no compression: 2 s)
    uv run python installers/build.py --portable-zip   … also the portable .zip (USB stick)
    uv run python installers/build.py --skip-build … only check and smoke-test the bundle

Works the same on Windows (the real thing) and Linux (CI). The steps:

1. PyInstaller with installers/shuangsuiji.spec (one folder, windowed, plus a console
   ``shuangsuiji-cli`` for the command line) into ``dist/shuangsuiji``;
2. an open CJK font goes into the bundle's resources/fonts (``--chart-font`` or
   ``SHUANGSUIJI_CHART_FONT``, else the first of :data:`OPEN_CJK_FONTS` found in the build
   machine's font folders), so charts print on a PC without a Chinese font of its own
   (issue 20); the build fails when there is none;
   the bundle is checked: both executables there, the only PySide6 modules are QtCore,
   QtGui, QtWidgets, QtSvg (matplotlib's Qt canvas imports it) and QtMultimedia (the
   draw's recording, with QtNetwork which it imports) and its FFmpeg plugin, Qt's translations are
   the zh_CN ones and include qtbase_zh_CN, the chart font is there;
3. smoke test: the frozen program runs ``--smoke-test`` with ``QT_QPA_PLATFORM=offscreen``
   (a small demo county in a temporary folder, all migrations, sign-in in single-user mode,
   the main window shown and closed); it must exit 0 and report ``smoke-test: ok``;
   ``shuangsuiji-cli --version`` must print the version; and a copy of the executables
   beside a portable.txt (in a folder with a Chinese name, like a USB stick's) must keep
   its database in the ``data`` folder beside them;
4. with ``--installer``: ``makensis`` compiles installers/shuangsuiji.nsi against the bundle
   into ``dist/shuangsuiji-VERSION-setup.exe`` (solid LZMA: minutes); with
   ``--installer-check`` it compiles it uncompressed into the work folder and deletes it,
   which checks the script (CI on Linux, where the bundle is a Linux one anyway);
5. with ``--portable-zip``: ``dist/shuangsuiji-VERSION-portable.zip``, the bundle with
   installers/portable.txt beside the executable (portable mode, desktop/paths.py).

Exits non-zero at the first failure, saying which step failed. Prints the build time and
the size of the bundle.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from importlib.metadata import version
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
INSTALLERS = ROOT / "installers"
SPEC = INSTALLERS / "shuangsuiji.spec"
NSI = INSTALLERS / "shuangsuiji.nsi"
NAME = "shuangsuiji"
QT_USED = {"QtCore", "QtGui", "QtWidgets", "QtSvg", "QtMultimedia", "QtNetwork"}
OK_PREFIX = "smoke-test: ok"  # desktop/cli/smoke.py
SMOKE_TIMEOUT = 300  # seconds: a cold first start on a slow CI disk, with margin
EXE_SUFFIX = ".exe" if sys.platform == "win32" else ""


# Chinese fonts whose licences let the installer carry them, best first (a font the charts
# know by file name: desktop/documents/charts.py CJK_FONT_FILES). Never Microsoft's.
OPEN_CJK_FONTS = {
    "NotoSansCJKsc-Regular.otf": "SIL Open Font License 1.1",
    "SourceHanSansSC-Regular.otf": "SIL Open Font License 1.1",
    "wqy-microhei.ttc": "Apache License 2.0 / GPLv3 with font embedding exception",
    "DroidSansFallbackFull.ttf": "Apache License 2.0",
    "NotoSansCJK-Regular.ttc": "SIL Open Font License 1.1",
}
FONT_SEARCH = (
    Path("/usr/share/fonts"),
    Path("/usr/local/share/fonts"),
    Path.home() / ".local/share/fonts",
)


class BuildError(RuntimeError):
    pass


def find_chart_font(explicit: Path | None, search: tuple[Path, ...] = FONT_SEARCH) -> Path:
    """The open CJK font to bundle: ``explicit`` (or ``SHUANGSUIJI_CHART_FONT``), else the
    first of :data:`OPEN_CJK_FONTS` in the font folders of the build machine."""
    chosen = explicit or (Path(p) if (p := os.environ.get("SHUANGSUIJI_CHART_FONT")) else None)
    if chosen is not None:
        if chosen.name not in OPEN_CJK_FONTS:
            raise BuildError(
                f"{chosen.name} is not one of the open fonts the installer may carry: "
                f"{', '.join(OPEN_CJK_FONTS)}"
            )
        if not chosen.is_file():
            raise BuildError(f"the chart font {chosen} does not exist")
        return chosen
    for name in OPEN_CJK_FONTS:
        for folder in search:
            found = sorted(folder.rglob(name)) if folder.is_dir() else []
            if found:
                return found[0]
    raise BuildError(
        "no open CJK font to bundle for the charts: install fonts-noto-cjk (Debian) or pass "
        f"--chart-font with one of {', '.join(OPEN_CJK_FONTS)}"
    )


def bundle_chart_font(bundle: Path, font: Path) -> Path:
    """Copy ``font`` and a note of its licence into the bundle's resources/fonts, the first
    folder the charts look in (desktop/documents/charts.py FONT_FOLDERS)."""
    resources = _bundled_resources(bundle)
    folder = resources / "fonts"
    folder.mkdir(exist_ok=True)
    for old in folder.iterdir():
        old.unlink()
    target = folder / font.name
    shutil.copyfile(font, target)
    (folder / "README.txt").write_text(
        f"{font.name}: 图表所用的开源中文字体（{OPEN_CJK_FONTS[font.name]}），"
        "电脑上没有中文字体时使用。\n",
        encoding="utf-8",
    )
    return target


def _bundled_resources(bundle: Path) -> Path:
    marker = next(bundle.rglob("resources/verify_draw.py"), None)
    if marker is None:
        raise BuildError("the bundle has no resources/ folder")
    return marker.parent


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--dist", type=Path, default=ROOT / "dist", help="output folder")
    parser.add_argument("--work", type=Path, default=ROOT / "build", help="PyInstaller's work")
    parser.add_argument("--skip-build", action="store_true", help="use the existing bundle")
    parser.add_argument("--no-smoke", action="store_true", help="leave out the smoke test")
    parser.add_argument("--installer", action="store_true", help="also run makensis")
    parser.add_argument(
        "--installer-check", action="store_true", help="only check that the NSIS script compiles"
    )
    parser.add_argument("--makensis", default="makensis", help="the makensis to run")
    parser.add_argument("--portable-zip", action="store_true", help="also the portable .zip")
    parser.add_argument(
        "--chart-font", type=Path, help="the open CJK font to bundle (else one is looked for)"
    )
    args = parser.parse_args(argv)
    for stream in (sys.stdout, sys.stderr):  # a cp1252 pipe on a Windows runner
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="backslashreplace")
    bundle = args.dist / NAME
    try:
        if not args.skip_build:
            seconds = build(args.dist, args.work)
            print(f"build: PyInstaller took {seconds:.0f} s")
            font = bundle_chart_font(bundle, find_chart_font(args.chart_font))
            print(f"build: chart font {font.name} ({font.stat().st_size / 2**20:.0f} MiB)")
        check_bundle(bundle)
        files, size = bundle_size(bundle)
        print(f"bundle: {bundle} — {files:,} files, {size / 2**20:.0f} MiB")
        if not args.no_smoke:
            print(smoke_test(bundle))
            print(check_cli(bundle))
            print(check_portable(bundle))
        if args.installer:
            installer, seconds = make_installer(bundle, args.dist, args.makensis)
            print(
                f"installer: {installer} — {installer.stat().st_size / 2**20:.0f} MiB, "
                f"makensis took {seconds:.0f} s"
            )
        if args.installer_check:
            args.work.mkdir(parents=True, exist_ok=True)
            out = args.work / f"{NAME}-check-setup.exe"
            _, seconds = make_installer(bundle, args.work, args.makensis, check_only=out)
            out.unlink(missing_ok=True)
            print(f"installer: installers/shuangsuiji.nsi compiles ({seconds:.0f} s)")
        if args.portable_zip:
            archive, seconds = portable_zip(bundle, args.dist)
            print(
                f"portable: {archive} — {archive.stat().st_size / 2**20:.0f} MiB ({seconds:.0f} s)"
            )
    except BuildError as error:
        print(f"build.py: FAILED — {error}", file=sys.stderr)
        return 1
    return 0


def build(dist: Path, work: Path) -> float:
    started = time.perf_counter()
    command = [
        sys.executable,
        "-m",
        "PyInstaller",
        "--noconfirm",
        "--clean",
        "--log-level=WARN",
        f"--distpath={dist}",
        f"--workpath={work}",
        str(SPEC),
    ]
    print("build:", " ".join(command), flush=True)
    if subprocess.run(command, cwd=ROOT, check=False).returncode != 0:
        raise BuildError("PyInstaller did not finish (see its messages above)")
    return time.perf_counter() - started


def executable(bundle: Path, name: str = NAME) -> Path:
    return bundle / f"{name}{EXE_SUFFIX}"


def check_bundle(bundle: Path) -> None:
    for name in (NAME, f"{NAME}-cli"):
        if not executable(bundle, name).is_file():
            raise BuildError(f"{executable(bundle, name)} is missing")
    pyside = next(bundle.rglob("PySide6/QtCore*"), None)
    if pyside is None:
        raise BuildError("no PySide6 in the bundle")
    modules = {
        path.name.split(".")[0]
        for path in pyside.parent.iterdir()
        if path.name.startswith("Qt") and path.suffix in {".pyd", ".so"}
    }
    if modules != QT_USED:
        raise BuildError(
            f"the bundle's PySide6 modules are {sorted(modules)}, expected {sorted(QT_USED)}"
        )
    if next(bundle.rglob("*ffmpegmediaplugin*"), None) is None:
        raise BuildError("Qt Multimedia's FFmpeg plugin is missing: draws could not be recorded")
    # PySide6/Qt/translations on Linux, PySide6/translations on Windows
    translations = sorted(p.name for p in bundle.rglob("*.qm") if "PySide6" in p.parts)
    if "qtbase_zh_CN.qm" not in translations:
        raise BuildError("Qt's Chinese translation qtbase_zh_CN.qm is missing")
    others = [name for name in translations if not name.endswith("_zh_CN.qm")]
    if others:
        raise BuildError(f"translations other than zh_CN were bundled: {others[:5]} …")
    fonts = [
        p.name for p in (_bundled_resources(bundle) / "fonts").glob("*") if p.name in OPEN_CJK_FONTS
    ]
    if not fonts:
        raise BuildError("no chart font in resources/fonts (build it without --skip-build)")
    print(
        f"bundle: Qt modules {', '.join(sorted(modules))}; translations {translations}; "
        f"chart font {fonts[0]}"
    )


def bundle_size(bundle: Path) -> tuple[int, int]:
    files = [p for p in bundle.rglob("*") if p.is_file() and not p.is_symlink()]
    return len(files), sum(path.stat().st_size for path in files)


def _environment() -> dict[str, str]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    # The frozen program must not find the developer's source tree or virtual environment.
    for name in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV"):
        env.pop(name, None)
    return env


def smoke_test(bundle: Path) -> str:
    program = executable(bundle)
    with tempfile.TemporaryDirectory(prefix="shuangsuiji-build-") as folder:
        report = Path(folder) / "smoke.txt"
        env = _environment()
        env["XDG_CONFIG_HOME"] = str(Path(folder) / "config")  # Qt settings, on Linux
        started = time.perf_counter()
        try:
            done = subprocess.run(
                [str(program), "--smoke-test", str(report)],
                cwd=folder,  # not the source tree: nothing may be imported from it
                env=env,
                capture_output=True,
                text=True,
                encoding="utf-8",
                errors="replace",
                timeout=SMOKE_TIMEOUT,
                check=False,
            )
        except subprocess.TimeoutExpired as error:
            raise BuildError(f"smoke test: no answer within {SMOKE_TIMEOUT} s") from error
        seconds = time.perf_counter() - started
        line = report.read_text("utf-8").strip() if report.is_file() else ""
        if done.returncode != 0 or not line.startswith(OK_PREFIX):
            raise BuildError(
                f"smoke test: exit status {done.returncode}, report {line or '(none)'!r}\n"
                f"--- stdout ---\n{done.stdout}\n--- stderr ---\n{done.stderr}"
            )
    return f"{line}\nsmoke: the frozen program ran for {seconds:.1f} s in all"


def check_cli(bundle: Path) -> str:
    done = subprocess.run(
        [str(executable(bundle, f"{NAME}-cli")), "--version"],
        env=_environment(),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    expected = version(NAME)
    if done.returncode != 0 or expected not in done.stdout:
        raise BuildError(f"shuangsuiji-cli --version said {done.stdout + done.stderr!r}")
    return f"cli: {done.stdout.strip()}"


def check_portable(bundle: Path) -> str:
    """Portable mode in the frozen program: the default database it names (``--help``)."""
    with tempfile.TemporaryDirectory(prefix="shuangsuiji-portable-") as folder:
        stick = Path(folder) / "U盘" / "双随机工作台"
        stick.mkdir(parents=True)
        for name in (NAME, f"{NAME}-cli"):
            shutil.copy2(executable(bundle, name), stick)
        _link_folder(bundle / "_internal", stick / "_internal")
        shutil.copy2(INSTALLERS / "portable.txt", stick)
        env = _environment()
        env.pop("SHUANGSUIJI_DATA_DIR", None)  # the override would win over portable mode
        env["COLUMNS"] = "1000"  # argparse: no wrapping inside the path
        done = subprocess.run(
            [str(executable(stick, f"{NAME}-cli")), "--help"],
            env=env,
            capture_output=True,
            text=True,
            encoding="utf-8",
            errors="replace",
            timeout=120,
            check=False,
        )
        expected = str(stick.resolve() / "data" / "shuangsuiji.sqlite")
        if done.returncode != 0 or expected not in done.stdout:
            raise BuildError(
                f"portable mode: expected the database {expected}, the program said:\n"
                f"{done.stdout}{done.stderr}"
            )
        if os.name == "nt":  # a junction: removing the folder must not empty the bundle
            os.rmdir(stick / "_internal")
    return f"portable: with portable.txt the data go to {expected}"


def _link_folder(target: Path, link: Path) -> None:
    if os.name == "nt":  # a junction needs no administrator rights, unlike a symlink
        import _winapi

        _winapi.CreateJunction(str(target.resolve()), str(link))
    else:
        link.symlink_to(target, target_is_directory=True)


def make_installer(
    bundle: Path, dist: Path, makensis: str, *, check_only: Path | None = None
) -> tuple[Path, float]:
    tool = shutil.which(makensis)
    if tool is None:
        raise BuildError(
            f"{makensis} not found: install NSIS (Windows: choco install nsis; "
            "Debian: apt-get install nsis)"
        )
    release = version(NAME)
    numbers = [*re.findall(r"\d+", release)[:4], "0", "0", "0", "0"][:4]
    out = check_only or dist / f"{NAME}-{release}-setup.exe"
    command = [
        tool,
        "-V2",
        "-WX",  # a warning is an error: the script stays clean
        "-INPUTCHARSET",
        "UTF8",
        *(["-DNO_COMPRESSION"] if check_only else []),
        f"-DDIST_DIR={bundle.resolve()}",
        f"-DEXE_NAME={NAME}{EXE_SUFFIX}",
        f"-DCLI_NAME={NAME}-cli{EXE_SUFFIX}",
        f"-DVERSION={release}",
        f"-DVERSION_4={'.'.join(numbers)}",
        f"-DOUT_FILE={out.resolve()}",
        f"-DICON={(ROOT / 'resources' / 'icons' / f'{NAME}.ico').resolve()}",
        str(NSI),
    ]
    print("installer:", " ".join(command), flush=True)
    started = time.perf_counter()
    if subprocess.run(command, cwd=INSTALLERS, check=False).returncode != 0:
        raise BuildError("makensis did not compile installers/shuangsuiji.nsi")
    return out, time.perf_counter() - started


def portable_zip(bundle: Path, dist: Path) -> tuple[Path, float]:
    """The bundle in a folder with the portable marker, zipped: unzip onto a USB stick."""
    started = time.perf_counter()
    archive = dist / f"{NAME}-{version(NAME)}-portable.zip"
    top = f"{NAME}-portable"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as out:
        for path in sorted(bundle.rglob("*")):
            if path.is_file():
                out.write(path, f"{top}/{path.relative_to(bundle).as_posix()}")
        out.write(INSTALLERS / "portable.txt", f"{top}/portable.txt")
    return archive, time.perf_counter() - started


if __name__ == "__main__":
    sys.exit(main())
