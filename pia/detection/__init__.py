"""Detection: recognizers, the batch engine, column/metadata classification.

Presidio's email recognizer uses tldextract, which fetches the public suffix list over HTTP on
first use; pia never calls it, but anything else importing Presidio in this process must not
reach the network either.
"""

import os

os.environ.setdefault("TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS", "")
