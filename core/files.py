"""Moving a finished temporary file into place with the permissions a new file would have had.

Outputs are written to a temporary file beside the destination and moved into place only when complete, so
no run leaves a half-written file. ``tempfile.mkstemp`` creates that file readable by its owner only; an
output shared with colleagues (a GeoPackage, a map pack) must get the usual permissions instead: 0666 less
the process's umask, as ``open()`` would have given it.
"""

from __future__ import annotations

import os


def _umask() -> int:
    """The process's umask, read without changing it where the system says it (Linux: /proc), since
    os.umask can only read it by setting it, for every thread at once."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def default_mode() -> int:
    return 0o666 & ~_umask()


def publish(tmp, destination) -> None:
    """``os.replace(tmp, destination)`` after giving ``tmp`` the permissions of a newly created file."""
    os.chmod(tmp, default_mode())
    os.replace(tmp, destination)
