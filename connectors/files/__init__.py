"""Files and logs: directories, compressed streams, archives, encodings and structured logs.

``FilesConnector`` (connector id ``files``) scans local paths, globs and ``file://`` URIs.
Its format handlers are reusable on their own, for any source of blobs (object storage):

``scan_stream(read, name, location, ctx, options, *, size=None, mtime=None) -> dict``
    Scan one blob given a binary reader (anything with ``read(n)``; a seekable one lets a zip
    be opened in place, otherwise it is spooled to a temporary file within the limits).
    ``name`` is the blob's name (the extension only separates CSV from plain text; content
    decides everything else), ``location`` the base location (``{"path": ...}`` or
    ``{"bucket": ..., "key": ...}``; archive members add ``"member"``), ``ctx`` a
    ``ScanContext``, ``options`` a ``ScanOptions`` (``extra["archive_max_ratio"]`` and the
    other ``archive_*`` keys of ``blobs.Limits`` override the limits), ``size`` the stored
    (compressed) size for the ratio budget, ``mtime`` for syslog years. Returns::

        {"blobs": [{"location", "format", "encoding", "lines", "newlines",
                    "entities": {entity: {"count", "score", "lines", "line_scores",
                                          "line_total", "samples", "sample_scores",
                                          "fingerprints", "minors"}},
                    "fields": {field: {entity: {... as above, "term", "shapes"}}},
                    "time": {"oldest", "newest", "lines"}}],
         "skipped": [{"location", "reason"}]}

    JSON-serialisable and free of raw PI (masked samples and keyed fingerprints only).
    ``lines`` and ``samples`` are the most convincing (``tally``), each with its score;
    ``line_total`` counts every line with a hit. An archive member that is an image named as
    PI is a blob of ``"format": "image"`` with one count of its entity (``images``).
    ``merge.file_fact`` and ``merge_partials`` show how the connector turns blobs into
    inventory items and facts; ``merge.field_item`` turns a ``fields`` entry (values under a
    field whose name says what they are, see ``fields``) into an item located by field.

``READ_FAILURES``
    The prefixes of the ``skipped`` reasons that say a file or directory was not read at all
    (vanished, unlistable, unreadable, corrupt), for callers that must tell a source nothing
    of which was read (``pia.scan``).
"""

from pia.connectors.files.blobs import Limits, scan_stream
from pia.connectors.files.connector import READ_FAILURES, FilesConnector

__all__ = ["READ_FAILURES", "FilesConnector", "Limits", "scan_stream"]
