"""The embedded default's personal data key set: ``.local/ses-keys.json``.

Created on first use with fresh random keys, mode 0600 (``bbase.keys`` refuses a
key file others can read). ``.local/`` is gitignored: the keys of a checkout
never reach the repository. Losing the file makes the checkout's encrypted
personal data unreadable; the data is generated, so ``bbase ses seed --replace``
makes new data under new keys.
"""

from __future__ import annotations

from pathlib import Path

from bbase.keys import new_key_set, write_key_file

from bbase_workshop import LOCAL

KEY_FILE = LOCAL / "ses-keys.json"


def local_key_file() -> Path:
    """The checkout's key file, created when missing (the ``bbase.local_keys`` entry point)."""
    if not KEY_FILE.exists():
        write_key_file(KEY_FILE, new_key_set())
    return KEY_FILE
