"""Every setting is documented in the README, and environment overrides are typed."""

import pytest

from dashboard import config


def test_every_setting_is_documented_in_readme():
    readme = (config.PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    for setting in config.SETTINGS:
        assert f"`{setting.env_var}`" in readme, f"{setting.env_var} missing from README settings table"


def test_environment_overrides_default(monkeypatch):
    monkeypatch.setenv("HSS_SUPPRESSION_THRESHOLD", "10")
    assert config.get("suppression_threshold") == 10


def test_bad_integer_setting_is_reported(monkeypatch):
    monkeypatch.setenv("HSS_DEMO_SCALE", "many")
    with pytest.raises(ValueError, match="HSS_DEMO_SCALE"):
        config.get("demo_scale")
