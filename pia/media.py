"""Image formats known by a file's extension.

Shared by the files connector, which lists a face photo or an ID-card scan by its name, and by
the rules, which must tell such a picture of a person from the lines of a log even when it is
a member of a log archive (``logs/backup.zip!faces/u1.png``), whose file fact says ``zip``.
Kept out of both packages so that evaluating rules never imports a connector.
"""

from __future__ import annotations

#: extensions of image formats (the connector also requires binary content: see
#: ``pia.connectors.files.images.image_blob``)
IMAGE_EXTENSIONS = frozenset({"jpg", "jpeg", "png", "bmp", "gif", "webp", "tif", "tiff",
                              "heic", "heif", "jp2", "wsq"})


def image_name(name: str) -> bool:
    """Whether a file or member name ends in an image format's extension."""
    base = name.rsplit("/", 1)[-1]
    return "." in base and base.rsplit(".", 1)[1].lower() in IMAGE_EXTENSIONS
