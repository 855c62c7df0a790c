"""A YAML reader that a hostile scenario file cannot blow up.

PyYAML's safe loader shares aliased nodes, so a 250-byte "billion laughs" file parses into
a small graph that only explodes later, when the schema walks it (the memory and the error
message grow as 9**9). Deep nesting overflows the composer's recursion. This loader checks,
before any Python object is built:

- the file size (read at most ``MAX_FILE_BYTES + 1`` bytes);
- the nesting depth while composing (``MAX_DEPTH``), so recursion stays shallow;
- the number of nodes composed and the number the aliases expand to (``MAX_NODES``),
  counting each alias as a full copy of its anchor, as a schema walk would see it;
- recursive aliases (an anchor that contains itself);
- duplicate mapping keys (YAML 1.2 forbids them; PyYAML silently keeps the last one).

Each failure is a :class:`YamlLimitError` with a field path where one is known.
"""

from __future__ import annotations

from pathlib import Path

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

MAX_FILE_BYTES = 1_000_000  # the largest example is ~10 kB
MAX_DEPTH = 32  # the schema nests 6 levels deep
MAX_NODES = 200_000  # after alias expansion; 10,000 threat groups of ~20 nodes each


class YamlLimitError(ValueError):
    """A YAML document breaks one of the reader's limits (or has a duplicate key)."""

    def __init__(self, message: str, field: str | None = None, line: int | None = None):
        super().__init__(message)
        self.message, self.field, self.line = message, field, line


class LimitedSafeLoader(yaml.SafeLoader):
    """``yaml.SafeLoader`` with a depth and node budget enforced while composing."""

    def __init__(self, stream):
        super().__init__(stream)
        self._depth = 0
        self._composed = 0

    def compose_node(self, parent, index):
        self._depth += 1
        self._composed += 1
        try:
            if self._depth > MAX_DEPTH:
                mark = self.peek_event().start_mark
                raise YamlLimitError(
                    f"nested more than {MAX_DEPTH} levels deep; scenario files nest at most "
                    f"{MAX_DEPTH}",
                    line=mark.line + 1,
                )
            if self._composed > MAX_NODES:
                raise YamlLimitError(f"more than {MAX_NODES} YAML nodes; at most {MAX_NODES}")
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1

    def get_single_data(self):
        node = self.get_single_node()
        if node is None:
            return None
        check_node_graph(node)
        return self.construct_document(node)


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
    loader = LimitedSafeLoader(text)
    try:
        return loader.get_single_data()
    finally:
        loader.dispose()
