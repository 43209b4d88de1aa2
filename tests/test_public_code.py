# SPDX-License-Identifier: EUPL-1.2
"""The conventions of public code: the licence text, an SPDX identifier in every source file,
publiccode.yml with the keys the Standard for Public Code (v0.4) requires, CONTRIBUTING.md.

No YAML library is installed, so publiccode.yml is read with a small reader for the subset it
uses (mappings by indentation, lists of scalars or mappings, quoted or plain scalars)."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SPDX = "# SPDX-License-Identifier: EUPL-1.2"


def test_every_python_file_under_src_names_its_licence():
    missing = []
    for path in (ROOT / "src").rglob("*.py"):
        with path.open(encoding="utf-8") as handle:
            head = [handle.readline().rstrip("\n") for _ in range(2)]
        if SPDX not in head:
            missing.append(str(path.relative_to(ROOT)))
    assert not missing, (
        f"{len(missing)} files lack '{SPDX}' on their first line (after a #! line), e.g. "
        f"{missing[:5]}; add it with: python -m tests.test_public_code"
    )


def add_missing_identifiers() -> list[Path]:
    """Put the SPDX line at the top of every Python file under src that lacks it."""
    changed = []
    for path in (ROOT / "src").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        if SPDX in text.split("\n", 2)[:2]:
            continue
        if text.startswith("#!"):
            first, _, rest = text.partition("\n")
            text = f"{first}\n{SPDX}\n{rest}"
        else:
            text = f"{SPDX}\n{text}"
        path.write_text(text, encoding="utf-8")
        changed.append(path)
    return changed


if __name__ == "__main__":
    print(f"{len(add_missing_identifiers())} files given an SPDX identifier")


def test_the_licence_is_the_eupl_1_2():
    text = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert text.lstrip().startswith("EUROPEAN UNION PUBLIC LICENCE v. 1.2")
    for article in ("1. Definitions", "5. Obligations of the Licensee", "15. Applicable Law"):
        assert article in text
    assert "‘Compatible Licences’ according to Article 5 EUPL are:" in text
    assert "[EUPL-1.2](LICENSE)" in (ROOT / "README.md").read_text(encoding="utf-8")


def _scalar(text: str) -> object:
    text = text.strip()
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "\"'":
        return text[1:-1]
    return {"true": True, "false": False}.get(text, text)


def read_yaml(text: str) -> object:
    """The subset of YAML publiccode.yml uses, as dicts, lists and strings."""
    lines = [
        (len(line) - len(line.lstrip(" ")), line.strip())
        for line in text.splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    ]

    def block(i: int, indent: int) -> tuple[object, int]:
        if lines[i][1].startswith("- "):
            items: list = []
            while i < len(lines) and lines[i][0] == indent and lines[i][1].startswith("- "):
                rest = lines[i][1][2:]
                if re.match(r"^[\w-]+:( |$)", rest):  # a mapping as a list item
                    lines[i] = (indent + 2, rest)
                    value, i = block(i, indent + 2)
                    items.append(value)
                else:
                    items.append(_scalar(rest))
                    i += 1
            return items, i
        mapping: dict = {}
        while i < len(lines) and lines[i][0] == indent:
            key, _, rest = lines[i][1].partition(":")
            i += 1
            if rest.strip():
                mapping[key] = _scalar(rest)
            elif i < len(lines) and lines[i][0] > indent:
                mapping[key], i = block(i, lines[i][0])
            elif i < len(lines) and lines[i][0] == indent and lines[i][1].startswith("- "):
                mapping[key], i = block(i, indent)
            else:
                mapping[key] = None
        return mapping, i

    value, end = block(0, lines[0][0])
    assert end == len(lines), f"could not read line {end + 1} of the YAML"
    return value


def test_publiccode_yml_has_the_required_keys():
    data = read_yaml((ROOT / "publiccode.yml").read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    assert data["publiccodeYmlVersion"] == "0.4"
    for key in ("name", "url", "platforms", "developmentStatus", "softwareType", "description"):
        assert data.get(key), key
    assert str(data["url"]).startswith("https://")
    assert data["developmentStatus"] in {"concept", "development", "beta", "stable", "obsolete"}
    assert data["softwareType"] in {
        "standalone/mobile", "standalone/iot", "standalone/desktop", "standalone/web",
        "standalone/backend", "standalone/other", "addon", "library", "configurationFiles",
    }  # fmt: skip
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", data["releaseDate"])
    for language, description in data["description"].items():
        assert language in {"en", "nl"}
        assert 0 < len(description["shortDescription"]) <= 150
        assert 150 <= len(description["longDescription"]) <= 10000
        assert description["features"]
    assert data["legal"]["license"] == "EUPL-1.2"
    assert data["maintenance"]["type"] in {"internal", "contract", "community", "none"}
    if data["maintenance"]["type"] in {"internal", "contract"}:
        assert data["maintenance"]["contacts"][0]["name"]
    assert data["localisation"]["localisationReady"] is True
    assert set(data["localisation"]["availableLanguages"]) == {"nl", "en"}
    version = re.search(r'^version = "([^"]+)"', (ROOT / "pyproject.toml").read_text(), re.M)
    assert data["softwareVersion"] == version.group(1)


def test_contributing_says_how():
    text = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    for needed in ("make test", "SPDX-License-Identifier", "SECURITY.md", "EUPL-1.2"):
        assert needed in text
