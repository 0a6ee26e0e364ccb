"""core.files: outputs moved into place get the permissions a new file would have had, not mkstemp's 0600."""

from __future__ import annotations

import os
import stat
import tempfile

from beatcast.core.files import default_mode, publish


def test_published_files_have_the_umask_permissions(tmp_path):
    previous = os.umask(0o027)
    try:
        assert default_mode() == 0o640
        handle, tmp = tempfile.mkstemp(dir=tmp_path)
        os.close(handle)
        assert stat.S_IMODE(os.stat(tmp).st_mode) == 0o600
        publish(tmp, tmp_path / "out.gpkg")
        assert stat.S_IMODE(os.stat(tmp_path / "out.gpkg").st_mode) == 0o640
        assert not os.path.exists(tmp)
    finally:
        os.umask(previous)
