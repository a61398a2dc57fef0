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


def test_streamlit_server_is_hardened_by_its_config_file():
    """XSRF and CORS protection on, an upload limit, no error details or tracebacks, the app's navigation:
    in .streamlit/config.toml, which `streamlit run app.py` (README's start command) and the tests read."""
    import tomllib

    settings = tomllib.loads((config.PROJECT_ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert settings["server"]["enableXsrfProtection"] is True and settings["server"]["enableCORS"] is True
    assert 0 < settings["server"]["maxUploadSize"] <= 200
    assert settings["client"]["showErrorDetails"] == "none"
    assert settings["client"]["showSidebarNavigation"] is False
    assert settings["client"]["toolbarMode"] == "viewer"
