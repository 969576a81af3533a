"""Start Jupyter's servers without the seconds of CPU jsonschema's optional IRI parser costs.

jupyter_server and JupyterHub log events through jupyter_events, which asks for
``jsonschema[format-nongpl]``; jsonschema then imports ``rfc3987_syntax``, which builds about 35
Earley parsers on import: 2.2 to 2.9 s of CPU on this project's machine, at every start of every
server (python-jsonschema/jsonschema#1428), for the "iri" string format that no Jupyter schema
uses. Forty participants' servers starting in the room's first minute paid it forty times. Marked
absent, jsonschema checks every other format and leaves that one unchecked; the ``wpskit`` command
does the same for itself (``wpskit/cli/__init__.py`` calls :func:`leave_out_iri_parser`).

    python -m wpskit.jupyter_start lab [options]          # JupyterLab, as `jupyter lab` (wpskit lab)
    python -m wpskit.jupyter_start singleuser [options]   # a hub user's server (hub/jupyterhub_config.py)
    python -m wpskit.jupyter_start hub [options]          # JupyterHub itself (wpskit hub start)
"""

from __future__ import annotations

import runpy
import sys

SERVERS = {"lab": "jupyterlab", "singleuser": "jupyterhub.singleuser", "hub": "jupyterhub"}


def leave_out_iri_parser() -> None:
    """Mark ``rfc3987_syntax`` absent; call before anything imports jsonschema."""
    sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]


def main() -> None:
    if len(sys.argv) < 2 or sys.argv[1] not in SERVERS:
        sys.exit(f"usage: python -m wpskit.jupyter_start {{{'|'.join(SERVERS)}}} [options]")
    leave_out_iri_parser()
    package = SERVERS[sys.argv[1]]
    sys.argv = [package, *sys.argv[2:]]
    runpy.run_module(package, run_name="__main__", alter_sys=True)


if __name__ == "__main__":
    main()
