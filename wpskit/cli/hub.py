"""``hub start``, ``hub start-servers``, ``hub users``: the workshop room on JupyterHub."""

from __future__ import annotations

from pathlib import Path

import typer

from wpskit.cli.common import LanguageOption, api, console, error_console
from wpskit.words import label

HubSettingsOption = typer.Option(Path("hub/settings.yaml"), "--settings", help="The room's settings file.")


def hub_start(settings_file: Path = HubSettingsOption, lang: str = LanguageOption) -> None:
    """Set up what is missing (course, exchange, configuration) and run the room's JupyterHub until Ctrl-C.

    Prints the address to write on the board. Needs root (one server per participant, as their own user).

    Example: `wpskit hub start --settings hub/settings.yaml` (as root: `sudo .venv/bin/wpskit hub start`)
    """
    raise typer.Exit(api().hub_start(settings_file))


def hub_start_servers(
    parallel: int = typer.Option(4, "--parallel", min=1, help="Servers starting at the same time."),
    settings_file: Path = HubSettingsOption,
    lang: str = LanguageOption,
) -> None:
    """Start every participant's server before the session, so that the room's logins find their pages ready.

    Run it as root in a second terminal once `make hub` is up (a few minutes for 40 participants).

    Example: `sudo .venv/bin/wpskit hub start-servers --parallel 4`
    """
    result = api().hub_start_servers(settings_file, parallel=parallel)
    for login, why in sorted(result.failed.items()):
        error_console.print(f"[red]{login}:[/] {why}", highlight=False, soft_wrap=True)
    console.print(label("cli.servers_started", ready=len(result.ready), seconds=round(result.seconds),
                        failed=len(result.failed)), highlight=False)
    if result.failed:
        raise typer.Exit(1)


def hub_users(
    roster_csv: Path = typer.Argument(None, help="The roster (UTF-8 CSV with participant_id, name, ...)."),
    facilitators: list[str] = typer.Option([], "--facilitator", help="A facilitator's login; repeat for several."),
    remove: bool = typer.Option(False, "--remove", help="Take every login of the room away again "
                                "(Unix users and homes); the course and its grades stay."),
    settings_file: Path = HubSettingsOption,
    lang: str = LanguageOption,
) -> None:
    """Create a login and a Unix user for every new participant and facilitator, and the login sheet.

    Running it again adds only new people and never changes a password.

    Example: `wpskit hub users roster.csv --facilitator lan --facilitator minh` (as root, with sudo)
    """
    if roster_csv is None and not remove:
        raise typer.BadParameter(label("cli.give_roster"), param_hint="ROSTER_CSV")
    result = api().hub_users(roster_csv, facilitators, remove=remove, settings=settings_file)
    if isinstance(result, list):
        console.print(label("cli.logins_removed", count=len(result)), highlight=False)
        return
    console.print(label("cli.logins_added", added=len(result.added), kept=len(result.kept), sheet=result.sheet),
                  highlight=False, soft_wrap=True)
