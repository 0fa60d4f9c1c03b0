"""``write_atomic(..., exclusive=True)``: what import writes never replaces a file, not even one
that appears while it writes."""

from __future__ import annotations

import pytest

from briefgen.fileio import write_atomic


def test_exclusive_write_never_replaces_and_leaves_no_temporary_file(tmp_path):
    target = tmp_path / "brief.yaml"
    write_atomic(target, b"eerste\n", exclusive=True)
    assert target.read_bytes() == b"eerste\n"
    with pytest.raises(FileExistsError):
        write_atomic(target, b"tweede\n", exclusive=True)
    assert target.read_bytes() == b"eerste\n"
    assert [p.name for p in tmp_path.iterdir()] == ["brief.yaml"]
    write_atomic(target, b"derde\n")  # without exclusive: replaced, as before
    assert target.read_bytes() == b"derde\n"
