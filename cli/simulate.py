"""`simulate`: N simulated stations run a scenario against a CSMS, with a progress bar and a summary table."""
from __future__ import annotations

from pathlib import Path
from typing import Any, Callable

import click
from rich import box
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from cli.common import api_option, console, echo_json
from sim.metrics import Metrics
from sim.runner import DEFAULT_PASSWORD, Options, SimulationError, simulate
from sim.scenarios import SCENARIOS

SCENARIO_HELP = (
    "boot: boot, status, a Heartbeat. charge: one RFID charge with meter values. storm: every station loses power "
    "at once and comes back. pnc: profile 1 to a certificate (CSR, CertificateSigned) to profile 3. soak: random "
    "charges, idling, faults and reconnections for --duration."
)


def _options(command: Callable) -> Callable:
    for option in reversed([
        click.option("--url", help="The WebSocket base URL without the station id [default: ws://127.0.0.1:9310/ws; "
                                   "pnc: wss://127.0.0.1:9311/ws]."),
        click.option("--version", "version", type=click.Choice(["1.6", "2.0.1", "2.1"]), default="1.6",
                     show_default=True, help="The stations' OCPP version."),
        click.option("--stations", type=click.IntRange(1, 100_000), default=1, show_default=True),
        click.option("--scenario", type=click.Choice(sorted(SCENARIOS)), default="charge", show_default=True,
                     help=SCENARIO_HELP),
        click.option("--id-prefix", default="sim", show_default=True, help="Station ids are PREFIX1 ... PREFIXN."),
        click.option("--password", default=DEFAULT_PASSWORD, show_default=True,
                     help="The stations' Basic auth password (registered with it when missing)."),
        click.option("--id-token", default="SIMTOKEN01", show_default=True, help="The RFID token charges use."),
        click.option("--tls", "tls_root", type=click.Path(path_type=Path, dir_okay=False),
                     help="Root certificate (PEM) to trust for wss:// [default: the CSMS's, from GET /pki/ca]."),
        click.option("--org", "organisation", help="The O of the stations' CSRs (the CSMS's CSMS_ORG_NAME)."),
        click.option("--rate", type=click.FloatRange(0.01, 1000), default=1.0, show_default=True,
                     help="Messages a second per station while charging (meter values) or idling (Heartbeats)."),
        click.option("--duration", type=click.FloatRange(0), help="Seconds: each charge (default 5), the soak "
                     "(default 60), storms repeated every 10 s, or how long booted stations stay."),
        click.option("--seed", type=int, help="Seed of the soak's randomness, to replay a run."),
        click.option("--json", "as_json", is_flag=True, help="Print the summary as one JSON object."),
    ]):
        command = option(command)
    return command


@click.command("simulate")
@_options
@api_option
def simulate_command(as_json: bool, api_url: str, api_token: str | None, **chosen: Any) -> None:
    """Simulated OCPP stations (the `ocpp` package's ChargePoint) against a running CSMS: registers them and a
    token through the API when missing, runs the scenario, prints a summary; exit 0 only when every station
    completed it."""
    options = Options(api=api_url, api_token=api_token, **chosen)
    if options.scenario == "pnc" and not options.is_tls:
        raise click.UsageError("pnc needs a wss:// --url (security profiles 1 and 3 are TLS)")
    try:
        with _progress(options.stations, enabled=not as_json) as on_tick:
            metrics = simulate(options, on_tick)
    except SimulationError as error:
        raise click.ClickException(str(error)) from None
    summary = metrics.summary(options.stations)
    if as_json:
        echo_json(summary)
    else:
        print_summary(summary)
    if metrics.completed < options.stations:
        raise SystemExit(1)


class _progress:
    """A progress bar on stderr while the stations run (only on a terminal); yields the runner's tick callback."""

    def __init__(self, total: int, enabled: bool) -> None:
        self.total = total
        self.bar = Progress(
            TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TextColumn("{task.fields[counts]}"),
            TimeElapsedColumn(), console=Console(stderr=True), transient=True,
            disable=not enabled or not Console(stderr=True).is_terminal,
        )

    def __enter__(self) -> Callable[[Metrics], None]:
        self.bar.start()
        task = self.bar.add_task("stations done", total=self.total, counts="")

        def tick(metrics: Metrics) -> None:
            counts = (f"{sum(metrics.sent.values())} sent, {sum(metrics.received.values())} received, "
                      f"{sum(metrics.call_errors.values())} CALLERRORs, {len(metrics.failures)} failed")
            self.bar.update(task, completed=metrics.completed + len(metrics.failures), counts=counts)

        return tick

    def __exit__(self, *_: object) -> None:
        self.bar.stop()


def print_summary(summary: dict[str, Any]) -> None:
    """The run as a table of messages by action, with the stations' outcome and the errors under it."""
    stations, messages = summary["stations"], summary["messages"]
    table = Table("action", "sent", "received", "CALLERRORs", "p50 ms", "p99 ms", box=box.SIMPLE_HEAD,
                  title=f"{stations['completed']}/{stations['total']} stations completed, {summary['sessions']} "
                        f"sessions, {messages['sent']} messages in {messages['seconds']} s "
                        f"({messages['perSecond']}/s)", title_justify="left")
    rows = list(messages["byAction"].items()) + [("all", messages)]
    for action, counts in rows:
        table.add_row(action, str(counts["sent"]), str(counts["received"]), str(counts["callErrors"]),
                      _ms(counts["p50Ms"]), _ms(counts["p99Ms"]))
    out = console()
    out.print(table)
    for line in summary["errors"]:
        out.print(f"error: {line}", markup=False, highlight=False)


def _ms(value: float | None) -> str:
    return "" if value is None else f"{value:.1f}"


COMMANDS = [simulate_command]
