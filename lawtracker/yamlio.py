"""Load curated YAML keeping line numbers, so every error can name `path:line`.

Timestamps are *not* converted: a date stays the string the lawyer typed, and the schema
checks its form. That keeps `2024-02-30` an error instead of a crash, and keeps dates
round-trippable into SQLite and JSON unchanged.
"""
from dataclasses import dataclass, field
from pathlib import Path

import yaml


# libyaml's C parser when present (about 10x faster); same marks, same results.
_Base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_Base):
    pass


# Drop the timestamp resolver: dates stay strings.
_Loader.yaml_implicit_resolvers = {
    ch: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for ch, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


@dataclass
class Document:
    path: Path
    data: object
    lines: dict = field(default_factory=dict)  # path tuple -> 1-based line

    def line(self, loc=()) -> int:
        """Line of the closest known ancestor of `loc` (a tuple of keys and indexes)."""
        loc = tuple(loc)
        while loc not in self.lines and loc:
            loc = loc[:-1]
        return self.lines.get(loc, 1)


class YamlError(Exception):
    def __init__(self, path, line, message):
        super().__init__(f"{path}:{line}: yaml: {message}")
        self.path, self.line, self.message = path, line, message


class _AliasFound(Exception):
    def __init__(self, node):
        self.node = node


def _index_lines(node, loc, lines, seen=None):
    """Map each key/index path to its line. A node reached twice is an alias (`*x`): refused,
    since nested aliases ("billion laughs") would make every later walk exponential."""
    seen = set() if seen is None else seen
    if isinstance(node, (yaml.MappingNode, yaml.SequenceNode)):
        if id(node) in seen:
            raise _AliasFound(node)
        seen.add(id(node))
    lines[loc] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            key = key_node.value
            _index_lines(value_node, loc + (key,), lines, seen)
            lines[loc + (key,)] = key_node.start_mark.line + 1
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _index_lines(item, loc + (i,), lines, seen)


def load(path) -> Document:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise YamlError(path, 1, f"not UTF-8 text ({exc.reason})") from exc
    loader = _Loader(text)
    lines = {}
    try:
        node = loader.get_single_node()
        if node is not None:
            _index_lines(node, (), lines)
        data = loader.construct_document(node) if node is not None else None
    except _AliasFound as exc:
        raise YamlError(path, exc.node.start_mark.line + 1, "anchors and aliases (&x, *x) are not allowed") from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        raise YamlError(path, line, f"{exc.problem or exc}".strip()) from exc
    except (yaml.YAMLError, ValueError, TypeError) as exc:
        raise YamlError(path, 1, str(exc)) from exc
    finally:
        loader.dispose()
    return Document(path=path, data=data, lines=lines)
