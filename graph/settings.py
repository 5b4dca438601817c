"""govkg's settings, read from the environment (``GOVKG_*``) by pydantic-settings.

Every command and the web service read the same settings, so one environment variable
points the whole of govkg at another store. Command-line options win over these.

>>> Settings(store="http://127.0.0.1:7878/").store
'http://127.0.0.1:7878/'
"""

from __future__ import annotations

from pathlib import Path

from platformdirs import user_data_dir
from pydantic import SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from govkg.graph.namespaces import DEFAULT_BASE


def default_store_path() -> Path:
    """Where the embedded store lives unless told otherwise: the user's data folder."""
    return Path(user_data_dir("govkg", appauthor=False)) / "store"


class Settings(BaseSettings):
    """Settings from ``GOVKG_<NAME>`` environment variables (names are case-insensitive)."""

    model_config = SettingsConfigDict(env_prefix="GOVKG_", extra="ignore")

    #: A folder for the embedded store, or the http(s) URL of a SPARQL server.
    store: str | None = None
    #: Credentials for a SPARQL server (HTTP Basic or Digest, as the server asks).
    store_user: str | None = None
    store_password: SecretStr | None = None
    #: Endpoint overrides for servers whose layout govkg does not recognise.
    store_query_endpoint: str | None = None
    store_update_endpoint: str | None = None
    store_gsp_endpoint: str | None = None
    #: The IRI base the data is published under (the stored data keeps the default).
    base: str = DEFAULT_BASE
    #: Default time limit of one query, in seconds.
    query_timeout: float = 10.0
    #: Web service: the largest query result it sends, in bytes (a bigger one is refused).
    max_result_bytes: int = 50_000_000
    #: Web service: the largest request body it reads, in bytes.
    max_body_bytes: int = 5_000_000
    #: Web service: worker processes that run queries (each can be stopped at its limit).
    query_workers: int = 4
    #: Web service: worker processes, apart from those, for clients' own queries
    #: (``/sparql``) and drafts (``/validate``), at a lower CPU priority, so runaway
    #: queries never take the workers or the CPU pages need; None: half of query_workers.
    client_workers: int | None = None
    #: Web service: how many of those one client address may hold at once (more wait).
    queries_per_client: int = 2
    #: Web service: time limit of one ``POST /validate``, in seconds.
    validation_timeout: float = 30.0
    #: Web service: SPARQL endpoints a query may call with ``SERVICE`` (a JSON list of
    #: their exact IRIs, e.g. ``GOVKG_FEDERATION='["https://query.wikidata.org/sparql"]'``);
    #: empty, federated queries are refused and the service calls no other endpoint.
    federation: list[str] = []
    #: Web service: let the workers that parse clients' documents use the network (only
    #: rdflib's fetching of remote JSON-LD contexts would); off, no request makes the
    #: service fetch anything.
    allow_network: bool = False
    #: Web service: SPARQL Update and Graph Store writes need this as a Bearer token;
    #: unset, the service is read-only.
    write_token: SecretStr | None = None
    #: Web service: origins allowed to call it from a browser (CORS); ["*"] for any.
    cors_origins: list[str] = []
    #: Web service: where the ontology documentation is written (default: a temporary folder).
    docs_cache: Path | None = None
    #: Where the documents' corrections files are kept (``<document id>.yaml``); default:
    #: ``corrections`` in an embedded store's folder, or, for a SPARQL server, the user's
    #: data folder's ``corrections/<16 hex digits of the server URL's SHA-256>``.
    corrections_dir: Path | None = None

    def store_location(self) -> str:
        """The store to use: ``GOVKG_STORE`` or the default folder."""
        return self.store or str(default_store_path())
