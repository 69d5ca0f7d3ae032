"""The top-level API: what a notebook uses is one import away, documented with a Chinese example."""

from __future__ import annotations

import pydoc
import re
import subprocess
import sys

import pytest

import bureau_rhetoric as br
from bureau_rhetoric.config import PROJECT_ROOT

CJK = re.compile(r"[\u4e00-\u9fff]")
EXPORTS = sorted(br._EXPORTS)


@pytest.mark.parametrize("name", EXPORTS)
def test_each_export_resolves_to_its_module_and_has_a_chinese_example(name):
    obj = getattr(br, name)
    module = getattr(br, br._EXPORTS[name])
    assert obj is getattr(module, name)
    doc = obj.__doc__ or ""
    assert "Examples" in doc, f"{name} has no Examples section"
    examples = doc.split("Examples", 1)[1]
    assert ">>>" in examples and CJK.search(examples), f"{name}'s example does not run on Chinese text"


def test_help_lists_every_export_and_no_missing_file():
    text = pydoc.render_doc(br, renderer=pydoc.plaintext)
    missing = [n for n in EXPORTS if not re.search(rf"\b{n}\b", text)]
    assert not missing, f"help(bureau_rhetoric) does not mention {missing}"
    for name in ("phrases", "topics", "figures", "tokens", "corpus"):
        assert getattr(br, name).__name__ == f"bureau_rhetoric.{name}"
    with pytest.raises(AttributeError, match="no attribute 'nonsense'"):
        br.nonsense  # noqa: B018


def test_importing_the_package_stays_light():
    code = "import sys, bureau_rhetoric; print(sorted(m for m in ('pandas', 'gensim', 'jieba', 'matplotlib') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_docstrings_name_only_files_that_exist():
    """A docstring pointing at a file the user does not have (e.g. a design note) is a dead end."""
    names = {p.name for p in PROJECT_ROOT.rglob("*.md") if ".venv" not in p.parts}
    for path in (PROJECT_ROOT / "src" / "bureau_rhetoric").rglob("*.py"):
        for ref in re.findall(r"([\w.-]+\.md)\b", path.read_text(encoding="utf-8")):
            assert ref in names, f"{path.name} refers to {ref}, which is not in the repository"


def test_the_readme_quickstart_runs(built_corpus_dir, capsys):
    text = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"### From Python\n\n```python\n(.*?)```", text, re.S)
    assert block, "README has no Python quickstart"
    code = block.group(1)
    assert len(code.strip().splitlines()) <= 12, "the quickstart should stay short"
    exec(compile(code.replace('"my/processed"', repr(str(built_corpus_dir))), "README quickstart", "exec"), {})
    assert "创新驱动" in capsys.readouterr().out
