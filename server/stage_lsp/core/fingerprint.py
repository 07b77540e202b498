"""Stable fingerprints of findings.

A fingerprint identifies a finding across edits that move it: it hashes the rule code, the keys of the
entities involved (endpoint key, table, column, policy identity, file for file-scoped rules) and a per-rule
discriminator, never a line number. It is the same value in every output format (JSON, SARIF
`partialFingerprints`, GitLab, baselines).
"""

from __future__ import annotations

import hashlib

FINGERPRINT_VERSION = "1"


def fingerprint(code: str, entities: tuple[str, ...], discriminator: str = "") -> str:
    payload = "\x1f".join((FINGERPRINT_VERSION, code, *entities, discriminator))
    return FINGERPRINT_VERSION + ":" + hashlib.sha256(payload.encode("utf-8")).hexdigest()[:20]
