"""The storage settings of an S3-compatible bucket, read from the environment.

Used by ``config/settings.py`` (``AMIABLE_STORAGE=s3``) and by the tests that run
against a local S3 server, so both build the same ``STORAGES`` entry. Raises
``ValueError`` with a readable message on a bad value; settings turn it into
``ImproperlyConfigured``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

BUCKET_NAME = re.compile(r"[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]")
HTTP_URL = re.compile(r"https?://\S+")


def s3_storage_from_environment(environ: Mapping[str, str]) -> dict[str, object]:
    """The ``STORAGES["default"]`` entry of django-storages' S3 backend."""
    bucket = environ.get("AMIABLE_S3_BUCKET", "").strip()
    if not BUCKET_NAME.fullmatch(bucket):
        raise ValueError(
            f"AMIABLE_STORAGE=s3 needs AMIABLE_S3_BUCKET, a bucket name, got {bucket!r}"
        )
    endpoint = environ.get("AMIABLE_S3_ENDPOINT_URL", "").strip()
    if endpoint and not HTTP_URL.fullmatch(endpoint):
        raise ValueError(
            f"AMIABLE_S3_ENDPOINT_URL must be an http(s) URL, got {endpoint!r}"
        )
    options: dict[str, object] = {
        "bucket_name": bucket,
        "location": environ.get("AMIABLE_S3_PREFIX", "").strip().strip("/"),
        # Private objects: files are served by our views after the role check,
        # never by a public URL; an upload never replaces another under its name.
        "default_acl": None,
        "querystring_auth": True,
        "file_overwrite": False,
        "region_name": environ.get("AMIABLE_S3_REGION") or None,
        "endpoint_url": endpoint or None,
        # Empty: boto3's own chain (AWS_ACCESS_KEY_ID…, an instance role).
        "access_key": environ.get("AMIABLE_S3_ACCESS_KEY_ID") or None,
        "secret_key": environ.get("AMIABLE_S3_SECRET_ACCESS_KEY") or None,
    }
    return {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options}
