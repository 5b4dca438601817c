"""govkg.graph: everything that builds, stores, checks and analyses the knowledge graph.

The wheel installs this folder as ``govkg.graph``; ``govkg`` itself is a namespace
package that only groups ``govkg.graph``, ``govkg.api`` and the data packages
``govkg.ontology``, ``govkg.shapes`` and ``govkg.queries``.
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("govkg")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0+unknown"
