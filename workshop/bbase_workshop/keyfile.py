"""The embedded default's personal data key set: ``.local/ses-keys.json``.

Created on first use with fresh random keys, mode 0600 (``bbase.keys`` refuses a
key file others can read). ``.local/`` is gitignored: the keys of a checkout
never reach the repository. Losing the file makes the checkout's encrypted
personal data unreadable; the data is generated, so ``bbase ses seed --replace``
makes new data under new keys.
"""

from __future__ import annotations

import os
from pathlib import Path

from bbase.keys import KeySet, fetch_keys, new_key_set, read_key_file, write_key_file
from bbase_workshop import LOCAL

KEY_FILE = LOCAL / "ses-keys.json"


def local_key_file() -> Path:
    """The checkout's key file, created when missing (the ``bbase.local_keys`` entry point)."""
    if not KEY_FILE.exists():
        write_key_file(KEY_FILE, new_key_set())
    return KEY_FILE


def workshop_keys() -> KeySet:
    """The key set of workshop commands (seed, demo, bench): the production sources when
    ``SES_KEYS_SECRET_ID`` or ``SES_KEYS_FILE`` is set, else the checkout's key file."""
    if os.environ.get("SES_KEYS_SECRET_ID") or os.environ.get("SES_KEYS_FILE"):
        return fetch_keys()
    return read_key_file(local_key_file())
