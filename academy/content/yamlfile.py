"""YAML with line numbers: course.yaml and front matter, parsed so errors point at lines."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml

Key = tuple[str | int, ...]


class YamlError(ValueError):
    """YAML that cannot be parsed, with the 1-based line where the parser gave up."""

    def __init__(self, message: str, line: int):
        super().__init__(message)
        self.message = message
        self.line = line


@dataclass
class YamlDocument:
    """Parsed YAML data plus the line of every mapping key and list item in it."""

    data: Any
    first_line: int
    lines: dict[Key, int] = field(default_factory=dict)
    duplicate_keys: list[tuple[str, int]] = field(default_factory=list)

    def line_of(self, *key: str | int) -> int:
        """Line of the deepest known part of `key`, falling back to the document's start."""
        while key:
            if key in self.lines:
                return self.lines[key]
            key = key[:-1]
        return self.first_line


def parse_yaml(text: str, first_line: int = 1) -> YamlDocument:
    """Parse one YAML document whose first line is line `first_line` of its file."""
    try:
        loader = yaml.SafeLoader(text)  # raises ReaderError for a control character
        try:
            node = loader.get_single_node()
            data = loader.construct_document(node) if node is not None else None
        finally:
            loader.dispose()
        document = YamlDocument(data=data, first_line=first_line)
        if node is not None:
            _record_lines(node, (), document, first_line, set())
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = first_line + (mark.line if mark else 0)
        raise YamlError(_describe(exc), line) from None
    except yaml.YAMLError as exc:
        raise YamlError(" ".join(f"not valid YAML ({exc})".split()), first_line) from None
    except RecursionError:
        raise YamlError(
            "not valid YAML: nested too deep, or an alias inside itself", first_line
        ) from None
    except (ValueError, TypeError, LookupError, AttributeError) as exc:
        # PyYAML's constructors let these through for values such as 2026-02-30 or !!int x.
        raise YamlError(f"not valid YAML: {exc}", first_line) from None
    return document


def _describe(exc: yaml.MarkedYAMLError) -> str:
    """Turn PyYAML's message into one plain sentence."""
    problem = exc.problem or "not valid YAML"
    context = f" {exc.context}" if exc.context else ""
    return f"not valid YAML: {problem}{context}".replace("\n", " ")


def _record_lines(
    node: yaml.Node, key: Key, document: YamlDocument, first_line: int, seen: set[int]
) -> None:
    """Walk the node tree, noting where each key and item starts.

    `seen` holds nodes already walked: YAML aliases reuse nodes, and following each use again
    would let a few hundred bytes of nested aliases take minutes.
    """
    if id(node) in seen:
        return
    seen.add(id(node))
    if isinstance(node, yaml.MappingNode):
        names: set[str] = set()
        for key_node, value_node in node.value:
            name = str(key_node.value)
            line = first_line + key_node.start_mark.line
            if name in names:
                document.duplicate_keys.append((".".join(map(str, (*key, name))), line))
            names.add(name)
            document.lines[(*key, name)] = line
            _record_lines(value_node, (*key, name), document, first_line, seen)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            document.lines[(*key, index)] = first_line + item.start_mark.line
            _record_lines(item, (*key, index), document, first_line, seen)


@dataclass
class FrontMatterFile:
    """A Markdown file split into its YAML front matter and its body."""

    meta: YamlDocument
    body: str
    body_first_line: int


def split_front_matter(text: str) -> FrontMatterFile:
    """Split `---`-fenced front matter from a Markdown body, keeping line numbers."""
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].strip() != "---":
        raise YamlError("the file must start with front matter: a line '---', the fields, '---'", 1)
    for index, line in enumerate(lines[1:], start=1):
        if line.strip() == "---":
            meta = parse_yaml("".join(lines[1:index]), first_line=2)
            return FrontMatterFile(meta, "".join(lines[index + 1 :]), index + 2)
    raise YamlError("the front matter is never closed: add a line '---' after its last field", 1)
