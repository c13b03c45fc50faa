"""A package that installs (issue 7): the wheel carries the templates, static files and the
sample article, and a virtualenv holding only that wheel serves the reader."""
import os
import re
import shutil
import site
import subprocess
import sys
import sysconfig
import urllib.request
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# What the wheel is built from: the project, without tests, benchmarks or a local venv.
SOURCES = ["pyproject.toml", "README.md", "webapp", "templates", "static"]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    """The wheel, built offline from a copy of the source tree (the build writes there)."""
    source = tmp_path_factory.mktemp("source")
    for name in SOURCES:
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, source / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy(ROOT / name, source / name)
    out = tmp_path_factory.mktemp("dist")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
                    "--no-index", "-q", "-w", str(out), str(source)], check=True)
    [built] = out.glob("dramatis-*.whl")
    return built


def test_the_wheel_holds_every_module_template_static_file_and_the_sample(wheel):
    """Guards the hand-kept package list in pyproject.toml: a module or folder added to the
    source tree and not listed there would be missing from an installed Dramatis."""
    names = set(zipfile.ZipFile(wheel).namelist())
    expected = {p.relative_to(ROOT).as_posix() for p in (ROOT / "webapp").rglob("*")
                if p.is_file() and "__pycache__" not in p.parts}
    for folder in ("templates", "static"):
        expected |= {f"webapp/{p.relative_to(ROOT).as_posix()}" for p in (ROOT / folder).rglob("*")
                     if p.is_file()}
    assert expected - names == set()
    assert {"webapp/templates/base.html", "webapp/static/vendor/htmx/htmx.min.js",
            "webapp/samples/harbour-deal.txt"} <= names


@pytest.fixture(scope="module")
def installed(wheel, tmp_path_factory) -> Path:
    """A fresh venv with the wheel installed and nothing else: its dependencies are read
    from this venv's site-packages (a .pth line), so nothing is downloaded."""
    venv = tmp_path_factory.mktemp("venv")
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    purelib = Path(sysconfig.get_path("purelib", vars={"base": str(venv), "platbase": str(venv)}))
    (purelib / "dependencies.pth").write_text("\n".join(site.getsitepackages()) + "\n")
    python = venv / "bin" / "python"
    subprocess.run([str(python), "-m", "pip", "install", "--no-deps", "--no-index",
                    "--ignore-installed", "-q", str(wheel)], check=True)
    return venv


def clean_env(**extra) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "DRAMATIS_", "VIRTUAL_ENV"))}
    return {**env, **extra}


def get(url: str) -> tuple[int, bytes]:
    with urllib.request.urlopen(url, timeout=30) as response:
        return response.status, response.read()


def test_the_installed_package_serves_pages_from_outside_the_repository(installed, tmp_path):
    env = clean_env(DRAMATIS_DB=str(tmp_path / "dramatis.sqlite"))
    where = subprocess.run([str(installed / "bin" / "python"), "-c", "import webapp; print(webapp.__file__)"],
                           cwd=tmp_path, env=env, capture_output=True, text=True, check=True).stdout
    assert Path(where.strip()).is_relative_to(installed)  # the wheel's copy, not the source tree

    server = subprocess.Popen([str(installed / "bin" / "dramatis"), "serve", "--port", "0", "--sample"],
                              cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                              text=True)
    try:
        log = []
        for line in server.stdout:  # ends if the server exits
            log.append(line)
            if match := re.search(r"Open (http://127\.0\.0\.1:\d+)(/articles/\S+)", line):
                break
        else:
            pytest.fail("the installed dramatis did not start:\n" + "".join(log))
        base, article = match.groups()
        status, library = get(base + "/")
        assert status == 200 and b"Port deal draws scrutiny" in library
        status, page = get(base + article)
        assert status == 200 and b'data-type="person"' in page
        assert get(base + "/static/reader.css")[0] == 200
        status, htmx = get(base + "/static/vendor/htmx/htmx.min.js")
        assert status == 200 and htmx == (ROOT / "static" / "vendor" / "htmx" / "htmx.min.js").read_bytes()
    finally:
        server.terminate()
        server.wait(timeout=30)
