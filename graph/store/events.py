"""Telling whoever keeps something beside the store (the search index) what each write
changed, without the backends knowing who listens.

Every concrete :class:`~govkg.graph.store.base.Store` gets its write methods wrapped by
:func:`announce_writes` (called from ``Store.__init_subclass__``): after a write returns,
each listener is called with the store and the names of the graphs it changed, or
``None`` when that cannot be known (a SPARQL update). A write made inside another write
(``drop_graph`` running an ``update``) is announced once, by the outer one.

Listeners are named like rdflib's plugins, ``"module:function"``, and imported only on
the first write, so ``import govkg.graph.store`` stays cheap. A listener that fails
does not undo the write (the data is stored); its error propagates to the caller.
"""

from __future__ import annotations

import functools
import importlib
import threading
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from govkg.graph.store.base import Store

Listener = Callable[["Store", "list[str] | None"], None]

#: who is told about writes, as "module:function"
LISTENERS: list[str] = ["govkg.graph.search:store_changed"]

_loaded: dict[str, Listener] = {}
_depth = threading.local()


def _listener(name: str) -> Listener:
    if name not in _loaded:
        module, _, function = name.partition(":")
        _loaded[name] = getattr(importlib.import_module(module), function)
    found: Listener = _loaded[name]
    return found


def _changed(method: str, args: tuple[Any, ...], kwargs: dict[str, Any],
             result: Any) -> list[str] | None:
    """The graphs a write changed, from its arguments or what it returned."""
    if method == "replace_graphs":
        graphs: Mapping[Any, Any] = args[0] if args else kwargs["graphs"]
        return [str(name) for name in graphs]
    if method == "load_file":
        return [str(name) for name in (result or {})]
    if method == "drop_graph":
        return [str(args[0] if args else kwargs["graph"])]
    return None  # an update may touch any graph


def announce(store: Store, graphs: Iterable[str] | None) -> None:
    """Tell every listener that ``graphs`` (None: any) of ``store`` changed."""
    changed = None if graphs is None else list(graphs)
    for name in LISTENERS:
        _listener(name)(store, changed)


def announce_writes(cls: type) -> None:
    """Wrap the write methods ``cls`` defines so that each write is announced."""
    for method in ("replace_graphs", "load_file", "drop_graph", "update"):
        original = cls.__dict__.get(method)
        if original is None or getattr(original, "__isabstractmethod__", False):
            continue

        def wrapper(self: Store, *args: Any, _original: Callable[..., Any] = original,
                    _method: str = method, **kwargs: Any) -> Any:
            depth = getattr(_depth, "value", 0)
            _depth.value = depth + 1
            try:
                result = _original(self, *args, **kwargs)
            finally:
                _depth.value = depth
            if depth == 0:
                announce(self, _changed(_method, args, kwargs, result))
            return result

        setattr(cls, method, functools.wraps(original)(wrapper))
