"""The key that signs the pages' anti-forgery tokens."""

from __future__ import annotations

from core.settings import Settings
from core.web.security import KEY_FILE, secret_key


def test_the_key_is_made_once_in_the_var_folder_and_kept(tmp_path):
    settings = Settings(var_dir=tmp_path)
    first = secret_key(settings)
    assert len(first) == 64
    assert (tmp_path / KEY_FILE).stat().st_mode & 0o077 == 0, "readable by its owner only"
    assert secret_key(settings) == first
    assert list(tmp_path.iterdir()) == [tmp_path / KEY_FILE]


def test_the_environment_key_wins(tmp_path):
    assert secret_key(Settings(var_dir=tmp_path, secret_key="from-the-environment")) == (
        "from-the-environment"
    )
    assert not (tmp_path / KEY_FILE).exists()
