"""Find the links and images of Markdown files, outside code, and say which are broken."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

FENCE = re.compile(r"^(\s*)(```|~~~).*?^\1\2[ \t]*$", re.M | re.S)
INLINE_CODE = re.compile(r"`[^`\n]*`")
HTML_COMMENT = re.compile(r"<!--.*?-->", re.S)
# [text](target "title") and ![alt](target); the target has no spaces.
LINK = re.compile(r"!?\[[^\]\n]*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
REFERENCE = re.compile(r"^\s{0,3}\[[^\]\n]+\]:\s*<?(\S+?)>?(?:\s+.*)?$", re.M)
ANGLE_URL = re.compile(r"<((?:https?|ftp)://[^>\s]+)>")
HEADING = re.compile(r"^#{1,6}\s+(.+?)\s*#*\s*$", re.M)
WEB = re.compile(r"\b(?:https?|ftp)://", re.I)


@dataclass(frozen=True)
class Link:
    file: Path
    target: str

    def __str__(self) -> str:
        return f"{self.file}: {self.target}"


def prose(text: str) -> str:
    """The text without fenced code, inline code and HTML comments."""
    text = FENCE.sub("", text)
    text = HTML_COMMENT.sub("", text)
    return INLINE_CODE.sub("", text)


def links(file: Path) -> list[Link]:
    """Every link and image target written in ``file``'s prose."""
    text = prose(file.read_text(encoding="utf-8"))
    found = [m.group(1) for m in LINK.finditer(text)]
    found += [m.group(1) for m in REFERENCE.finditer(text)]
    found += [m.group(1) for m in ANGLE_URL.finditer(text)]
    return [Link(file, target) for target in found]


def web_addresses(file: Path) -> list[str]:
    """Each line of ``file`` (code included) that names a web address."""
    return [
        f"{file}:{number}: {line.strip()}"
        for number, line in enumerate(file.read_text(encoding="utf-8").splitlines(), 1)
        if WEB.search(line)
    ]


def slug(heading: str) -> str:
    """The anchor MkDocs (Python-Markdown's toc) gives a heading."""
    text = re.sub(r"[`*_]", "", heading)
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"[^\w\s-]", "", text).strip().lower()
    return re.sub(r"[-\s]+", "-", text)


def anchors(file: Path) -> set[str]:
    return {slug(m.group(1)) for m in HEADING.finditer(prose(file.read_text(encoding="utf-8")))}


def broken(link: Link, root: Path) -> str | None:
    """Why ``link`` doesn't lead to a file (and anchor) inside ``root``, or None."""
    target = link.target
    if WEB.match(target) or re.match(r"^[a-z][a-z0-9+.-]*:", target, re.I):
        return "leads outside the repository"
    path_part, _, anchor = target.partition("#")
    if path_part.startswith("/"):
        return "absolute path"
    destination = (link.file.parent / path_part).resolve() if path_part else link.file.resolve()
    if not destination.is_relative_to(root.resolve()):
        return "leads outside the repository"
    if not destination.exists():
        return "no such file"
    if anchor and destination.suffix == ".md" and anchor not in anchors(destination):
        return f"no heading with the anchor #{anchor}"
    return None
