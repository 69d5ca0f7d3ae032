"""pyproject.toml, requirements.lock and environment.yml agree; the raw data is intact."""

from __future__ import annotations

import hashlib
import re
import sys
from pathlib import Path

import pytest
from packaging.markers import Marker
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from bureau_rhetoric.config import PROJECT_ROOT, RAW_DIR

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

ROOT = PROJECT_ROOT


def _pyproject_requirements() -> dict[str, Requirement]:
    data = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    reqs = list(data["project"]["dependencies"])
    for extra in data["project"].get("optional-dependencies", {}).values():
        reqs += extra
    return {canonicalize_name(Requirement(r).name): Requirement(r) for r in reqs}


def _lock_pins() -> dict[str, set[tuple[str, str]]]:
    pins: dict[str, set[tuple[str, str]]] = {}
    for line in (ROOT / "requirements.lock").read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        req, _, marker = line.partition(";")
        name, _, version = req.strip().partition("==")
        assert version, f"requirements.lock line is not an exact pin: {line!r}"
        pins.setdefault(canonicalize_name(name), set()).add((version.strip(), marker.strip()))
    return pins


def _environment_pins() -> dict[str, str]:
    pins = {}
    for line in (ROOT / "environment.yml").read_text(encoding="utf-8").splitlines():
        m = re.match(r"^\s+-\s+([A-Za-z0-9_.\-]+)==([^\s#]+)\s*$", line)
        if m:
            pins[canonicalize_name(m.group(1))] = m.group(2)
    return pins


CORE = ["jupyterlab", "pandas", "jieba", "gensim", "seaborn"]


def test_every_direct_dependency_is_pinned_once_for_all_pythons():
    """The analysis stack must not change version with the interpreter."""
    pins = _lock_pins()
    for name, req in _pyproject_requirements().items():
        assert name in pins, f"{name} is in pyproject.toml but not in requirements.lock (run make lock)"
        versions = {v for v, _ in pins[name]}
        assert len(versions) == 1, f"{name} resolves to several versions by Python: {sorted(versions)}"
        (version,) = versions
        assert req.specifier.contains(version, prereleases=True), (
            f"requirements.lock pins {name}=={version}, outside pyproject.toml's {req.specifier}")


@pytest.mark.parametrize("name", sorted(set(CORE) | set(_pyproject_requirements())))
def test_environment_yml_matches_lock(name):
    env = _environment_pins()
    lock = {v for v, _ in _lock_pins()[canonicalize_name(name)]}
    assert name in env or canonicalize_name(name) in env, f"{name} missing from environment.yml (run make lock)"
    assert env[canonicalize_name(name)] in lock, (
        f"environment.yml pins {name}=={env[canonicalize_name(name)]}, requirements.lock {sorted(lock)}")


def test_environment_yml_covers_the_lock_for_python_311():
    env = _environment_pins()
    target = {"python_version": "3.11", "python_full_version": "3.11.9", "sys_platform": "linux",
              "platform_system": "Linux", "os_name": "posix", "implementation_name": "cpython",
              "platform_python_implementation": "CPython", "platform_machine": "x86_64"}
    for name, entries in _lock_pins().items():
        for version, marker in entries:
            if not marker or Marker(marker).evaluate(target):
                assert env.get(name) == version, f"environment.yml: {name} should be =={version}"


def test_installed_versions_match_the_lock():
    """`make setup` installed exactly what the lock says (catches a stale .venv)."""
    from importlib import metadata

    for name in CORE:
        (version,) = {v for v, _ in _lock_pins()[name]}
        assert metadata.version(name) == version, f"{name}: installed {metadata.version(name)}, lock {version}"


def test_raw_seed_files_are_byte_identical_to_their_checksums():
    sums = (RAW_DIR / "SHA256SUMS").read_text(encoding="utf-8").split("\n")
    checked = 0
    for line in filter(None, sums):
        digest, name = line.split(maxsplit=1)
        data = (RAW_DIR / name.strip().lstrip("*")).read_bytes()
        assert hashlib.sha256(data).hexdigest() == digest, f"data/raw/{name} was modified"
        checked += 1
    assert checked == 5


def test_citation_and_licence_agree_with_pyproject():
    data = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    cff = (ROOT / "CITATION.cff").read_text(encoding="utf-8")
    assert re.search(rf"^version: {re.escape(data['version'])}$", cff, re.M), "CITATION.cff version is stale"
    assert re.search(rf"^license: {data['license']}$", cff, re.M)
    assert (ROOT / "LICENSE").read_text(encoding="utf-8").startswith(f"{data['license']} License")
