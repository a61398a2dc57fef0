"""An open About page shows the new build after `build` has swapped a new warehouse into place."""

from streamlit.testing.v1 import AppTest

from dashboard import build
from dashboard.config import PROJECT_ROOT
from dashboard.sources import imports
from tests.fixtures.warehouse import real_import, synthetic_import


def build_caption(app: AppTest) -> str:
    return next(c.value for c in app.caption if c.value.startswith("Build "))


def test_about_page_shows_the_rebuilt_warehouse_on_its_next_run(tmp_path, use_warehouse):
    store, target = tmp_path / "imports", use_warehouse(tmp_path / "warehouse.duckdb")
    imports.write(real_import(), store)
    first = build.build(target=target, demo_scale=None, imports_dir=store)
    app = AppTest.from_file(str(PROJECT_ROOT / "pages/about.py"), default_timeout=60).run()
    assert not app.exception
    assert build_caption(app).startswith(f"Build {first.build_id} ")

    imports.write(synthetic_import(), store)
    second = build.build(target=target, demo_scale=None, imports_dir=store)
    app.run()

    assert not app.exception
    assert build_caption(app).startswith(f"Build {second.build_id} ")
    assert "FIXTURE_SYNTHETIC" in set(app.dataframe[0].value["Code"])
