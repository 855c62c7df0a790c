"""A YAML reader that a hostile scenario file cannot blow up.

PyYAML's safe loader shares aliased nodes, so a 250-byte "billion laughs" file parses into
a small graph that only explodes later, when the schema walks it (the memory and the error
message grow as 9**9). Deep nesting overflows the composer's recursion. This loader checks,
before any Python object is built:

- the file size (read at most ``MAX_FILE_BYTES + 1`` bytes);
- the nesting depth and the number of nodes, from the parser's events, before composing
  (``MAX_DEPTH``, ``MAX_NODES``), so the composer's recursion stays shallow;
- the number of nodes the aliases expand to (``MAX_NODES``), counting each alias as a
  full copy of its anchor, as a schema walk would see it;
- recursive aliases (an anchor that contains itself);
- duplicate mapping keys (YAML 1.2 forbids them; PyYAML silently keeps the last one).

Each failure is a :class:`YamlLimitError` with a field path where one is known.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

MAX_FILE_BYTES = 1_000_000  # the largest example is ~10 kB
MAX_DEPTH = 32  # the schema nests 6 levels deep
MAX_NODES = 20_000  # also after alias expansion; the largest example has 376


class YamlLimitError(ValueError):
    """A YAML document breaks one of the reader's limits (or has a duplicate key)."""

    def __init__(self, message: str, field: str | None = None, line: int | None = None):
        super().__init__(message)
        self.message, self.field, self.line = message, field, line


# libyaml (C) where PyYAML was built with it: the pure-Python parser manages only ~10k
# nodes/s on a busy machine, which would turn the node budget itself into a slow path.
_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _SafeLoader(_BaseLoader):
    """The safe loader, reading ``1e3`` as the number YAML 1.2 says it is (YAML 1.1, and so
    PyYAML, wants a dot: ``1.0e3``; without this, strict numbers would refuse ``1e3``)."""


_SafeLoader.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(r"^[-+]?[0-9][0-9_]*[eE][-+]?[0-9]+$"),
    list("-+0123456789"),
)
_OPEN = (yaml.MappingStartEvent, yaml.SequenceStartEvent)
_CLOSE = (yaml.MappingEndEvent, yaml.SequenceEndEvent)
_NODE = (yaml.ScalarEvent, yaml.AliasEvent, *_OPEN)


def check_events(text: str) -> None:
    """Depth and node count from the parser's event stream, before any node is composed
    (the parser is a state machine, so deep nesting cannot overflow a stack here)."""
    depth = nodes = 0
    for event in yaml.parse(text, Loader=_SafeLoader):
        if isinstance(event, _NODE):
            nodes += 1
            if nodes > MAX_NODES:
                raise YamlLimitError(
                    f"more than {MAX_NODES} YAML nodes; at most {MAX_NODES}",
                    line=event.start_mark.line + 1,
                )
        if isinstance(event, _OPEN):
            depth += 1
            if depth > MAX_DEPTH:
                raise YamlLimitError(
                    f"nested more than {MAX_DEPTH} levels deep; scenario files nest at most "
                    f"{MAX_DEPTH}",
                    line=event.start_mark.line + 1,
                )
        elif isinstance(event, _CLOSE):
            depth -= 1


def check_node_graph(root: Node) -> None:
    """Reject recursive aliases, duplicate keys and alias expansion beyond ``MAX_NODES``."""
    sizes: dict[int, int] = {}
    on_path: set[int] = set()

    def visit(node: Node, path: str) -> int:
        key = id(node)
        if key in sizes:
            return sizes[key]
        if key in on_path:
            raise YamlLimitError(
                "recursive alias (an anchor that contains itself)",
                field=path or None,
                line=node.start_mark.line + 1,
            )
        on_path.add(key)
        size = 1
        if isinstance(node, SequenceNode):
            for i, child in enumerate(node.value):
                size += visit(child, f"{path}[{i}]")
        elif isinstance(node, MappingNode):
            seen: dict[str, int] = {}
            for k, v in node.value:
                name = k.value if isinstance(k, ScalarNode) else None
                if name is not None and k.tag != "tag:yaml.org,2002:merge":
                    if name in seen:
                        field = f"{path}.{name}" if path else name
                        raise YamlLimitError(
                            f"key given twice (lines {seen[name]} and {k.start_mark.line + 1}); "
                            "each key may appear once",
                            field=field,
                            line=k.start_mark.line + 1,
                        )
                    seen[name] = k.start_mark.line + 1
                size += visit(k, path)
                size += visit(v, f"{path}.{name}" if path and name else (name or path))
        on_path.discard(key)
        if size > MAX_NODES:
            raise YamlLimitError(
                f"aliases expand to more than {MAX_NODES} nodes; at most {MAX_NODES} allowed",
                field=path or None,
                line=node.start_mark.line + 1,
            )
        sizes[key] = size
        return size

    visit(root, "")


def load_limited(path: Path):
    """Parse one YAML document from ``path`` within the limits above."""
    with open(path, "rb") as fh:
        raw = fh.read(MAX_FILE_BYTES + 1)
    if len(raw) > MAX_FILE_BYTES:
        raise YamlLimitError(
            f"file larger than {MAX_FILE_BYTES:,} bytes; scenario files may hold at most "
            f"{MAX_FILE_BYTES:,}"
        )
    text = raw.decode("utf-8")
    check_events(text)
    loader = _SafeLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        check_node_graph(node)
        return loader.construct_document(node)
    finally:
        loader.dispose()
