"""The package itself: installed with its library, in step with the header, documented examples run."""

from __future__ import annotations

import doctest
import re
from pathlib import Path

import pytest

import eventrouter
from eventrouter import _native, _patterns, _router, _ruleset, _schedule
from conftest import HEADER, ROOT


def header_functions():
    """name -> number of parameters, for every function the header declares."""
    text = re.sub(r"/\*.*?\*/", " ", HEADER.read_text(), flags=re.S)
    text = re.sub(r"^\s*#.*$", " ", text, flags=re.M)
    functions = {}
    for match in re.finditer(r"\b(evr_[a-z0-9_]+)\s*\(([^()]*)\)\s*;", text):
        params = match.group(2).strip()
        functions[match.group(1)] = 0 if params in ("", "void") else params.count(",") + 1
    return functions


def test_the_binding_declares_exactly_the_header():
    declared = header_functions()
    assert len(declared) >= 25
    assert set(declared) == set(_native.SIGNATURES)
    for name, count in declared.items():
        assert len(_native.SIGNATURES[name][1]) == count, name


def test_the_library_travels_with_the_package():
    path = Path(eventrouter.__file__).with_name("libeventrouter.so")
    assert path.is_file()
    assert Path(_native.library_path) == path
    assert eventrouter.library_version == eventrouter.__version__


def test_the_header_version_matches():
    version = re.search(r'#define EVR_VERSION_STRING "([^"]+)"', HEADER.read_text()).group(1)
    assert eventrouter.library_version == version


@pytest.mark.parametrize("module", [eventrouter, _patterns, _router, _ruleset, _schedule])
def test_docstring_examples(module):
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.failed == 0


def readme_examples():
    """The Python examples of the package's README and of the repository's README."""
    examples = []
    for readme in (ROOT / "bindings" / "python" / "README.md", ROOT / "README.md"):
        examples += re.findall(r"```python\n(.*?)```", readme.read_text(encoding="utf-8"), flags=re.S)
    return examples


def test_the_readme_has_examples():
    assert len(readme_examples()) >= 7


@pytest.mark.parametrize("index", range(len(readme_examples())))
def test_readme_example_runs(index, capsys):
    code = readme_examples()[index]
    exec(compile(code, f"README.md example {index + 1}", "exec"), {"__name__": f"readme_example_{index}"})
