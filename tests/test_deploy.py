"""The deployment files of facilitator_guide/deploy: the Zero to JupyterHub values file is what the
chart accepts (its published values schema, kept in tests/data/z2jh with the chart's version), and
the Python it carries compiles."""

from __future__ import annotations

import json

import jsonschema
import pytest
import yaml

from tests.conftest import REPO

CHART_VERSION = "4.4.0"
DATA = REPO / "tests" / "data" / "z2jh"
VALUES = REPO / "facilitator_guide" / "deploy" / "z2jh" / "values.yaml"


def helm_merge(defaults, override):
    """Helm's merge of a values file over the chart's values: maps merge, a null removes the key,
    anything else (lists too) replaces."""
    if not (isinstance(defaults, dict) and isinstance(override, dict)):
        return override
    merged = dict(defaults)
    for key, value in override.items():
        if value is None:
            merged.pop(key, None)
        else:
            merged[key] = helm_merge(defaults.get(key), value)
    return merged


def chart_schema() -> dict:
    return json.loads((DATA / f"values.schema-{CHART_VERSION}.json").read_text(encoding="utf-8"))


def room_values() -> dict:
    defaults = yaml.safe_load((DATA / f"values-{CHART_VERSION}.yaml").read_text(encoding="utf-8"))
    return helm_merge(defaults, yaml.safe_load(VALUES.read_text(encoding="utf-8")))


def test_the_values_file_names_the_chart_version_it_was_checked_against():
    assert f"chart `jupyterhub` {CHART_VERSION}" in VALUES.read_text(encoding="utf-8")


def test_the_z2jh_values_validate_against_the_chart_schema():
    jsonschema.Draft7Validator(chart_schema()).validate(room_values())


@pytest.mark.parametrize("mistake", [
    {"singleuser": {"storage": {"extraVolumeMount": []}}},    # a misspelt key
    {"singleuser": {"memory": {"limit": ["1G"]}}},            # a wrong type
    {"singleuser": {"extraFiles": {"x": {"stringData": ""}}}},  # a file without its mountPath
])
def test_the_schema_check_catches_a_broken_values_file(mistake):
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft7Validator(chart_schema()).validate(helm_merge(room_values(), mistake))


def test_the_room_keeps_exchange_and_gradebook_shared():
    values = room_values()
    singleuser = values["singleuser"]
    mounts = {mount["mountPath"] for mount in singleuser["storage"]["extraVolumeMounts"]}
    nbgrader_config = singleuser["extraFiles"]["nbgrader-config"]["stringData"]
    assert "/srv/nbgrader/exchange" in mounts and 'c.Exchange.root = "/srv/nbgrader/exchange"' in nbgrader_config
    assert singleuser["defaultUrl"] == "/voila/tree/modules"
    for name, code in values["hub"]["extraConfig"].items():
        compile(code, name, "exec")
    compile(nbgrader_config, "nbgrader_config.py", "exec")


def test_the_tljh_files_are_valid_shell_and_python():
    import subprocess

    folder = REPO / "facilitator_guide" / "deploy" / "tljh"
    subprocess.run(["bash", "-n", str(folder / "setup.sh")], check=True)
    for name in ("nbgrader_config.py", "jupyterhub_config.py"):
        compile((folder / name).read_text(encoding="utf-8"), name, "exec")
    setup = (folder / "setup.sh").read_text(encoding="utf-8")
    assert "nbgrader_config.py\" /opt/tljh/user/etc/jupyter/nbgrader_config.py" in setup
    assert "jupyterhub_config.py\" /opt/tljh/config/jupyterhub_config.d/wpskit.py" in setup
