"""`pki export-ca|issue|revoke|list`: the local CA through the API; `ca-certificate` reads its files directly."""
from __future__ import annotations

from pathlib import Path

import click

from cli.commands import wait_for_command
from cli.common import api_option, client, echo_json, json_option, page_options, print_record, show_list
from config import Config

COLUMNS = (("serial", "serial"), ("certificateType", "type"), ("subject", "subject"), ("notBefore", "not before"),
           ("notAfter", "not after"), ("revoked", "revoked"))
TRIGGERS = {"ChargingStationCertificate": "SignChargingStationCertificate", "V2GCertificate": "SignV2GCertificate"}


@click.group("pki")
def pki() -> None:
    """The local CA: export its root, issue, revoke and list certificates."""


@pki.command("export-ca")
@click.option("--output", "-o", type=click.Path(path_type=Path, dir_okay=False), help="The PEM file (default stdout).")
@api_option
def export_ca(output: Path | None, api_url: str, api_token: str | None) -> None:
    """The CSMS's root certificate (PEM): install it on stations that connect over wss://."""
    pem = client(api_url, api_token).text("/pki/ca")
    if output is None:
        click.echo(pem, nl=False)
        return
    try:
        output.write_text(pem)
    except OSError as error:
        raise click.ClickException(f"cannot write {output}: {error.strerror}") from None


@pki.command("issue")
@click.option("--station", "cs_id", help="Ask this station for a CSR; the CSMS signs it and sends CertificateSigned.")
@click.option("--type", "certificate_type", type=click.Choice(sorted(TRIGGERS)), default="ChargingStationCertificate",
              show_default=True)
@click.option("--emaid", help="Issue an EV contract certificate for this eMAID instead (with --csr).")
@click.option("--csr", type=click.Path(path_type=Path, dir_okay=False), help="The contract certificate's CSR (PEM).")
@click.option("--wait", type=click.FloatRange(0), default=0, metavar="SECONDS",
              help="With --station: wait this long for the station to accept the trigger.")
@api_option
@json_option
def issue(cs_id: str | None, certificate_type: str, emaid: str | None, csr: Path | None, wait: float, api_url: str,
          api_token: str | None, as_json: bool) -> None:
    """Issue a certificate: a station's (it sends its CSR when asked) or an EV's contract certificate."""
    if (cs_id is None) == (emaid is None) or (emaid is not None) != (csr is not None):
        raise click.UsageError("give either --station, or --emaid with --csr")
    api = client(api_url, api_token)
    if emaid is not None and csr is not None:
        issued = api.post("/pki/contract-certificates", {"emaid": emaid, "csr": _read(csr)})
        if as_json:
            echo_json(issued)
            return
        click.echo(issued["certificateChain"], nl=False)
        click.echo(f"issued serial {issued['serial']}, valid until {issued['notAfter']}", err=True)
        return
    api.post(f"/cs/{cs_id}/trigger", {"trigger": TRIGGERS[certificate_type]})
    click.echo(f"asked {cs_id} for a CSR ({certificate_type}); see `pki list {cs_id}`")
    if wait:
        newest = api.get(f"/cs/{cs_id}/commands", limit=1)[0]
        done = wait_for_command(api, cs_id, newest["id"], wait)
        print_record(done, (("action", "action"), ("status", "status"), ("response", "response")))


def _read(path: Path) -> str:
    try:
        return path.read_text()
    except OSError as error:
        raise click.ClickException(f"cannot read {path}: {error.strerror}") from None


@pki.command("revoke")
@click.argument("serial")
@click.option("--station", "cs_id", help="The station the certificate was issued to.")
@click.option("--contract", is_flag=True, help="SERIAL is a contract certificate's.")
@api_option
def revoke(serial: str, cs_id: str | None, contract: bool, api_url: str, api_token: str | None) -> None:
    """Revoke a certificate the local CA issued (the gateway refuses it from the next handshake on)."""
    if (cs_id is None) == (not contract):
        raise click.UsageError("give --station CS_ID or --contract")
    path = f"/pki/contract-certificates/{serial}" if contract else f"/cs/{cs_id}/certificates/issued/{serial}"
    client(api_url, api_token).delete(path)
    click.echo(f"revoked {serial}")


@pki.command("list")
@click.argument("cs_id")
@api_option
@json_option
@page_options
def list_issued(cs_id: str, api_url: str, api_token: str | None, as_json: bool, offset: int, limit: int) -> None:
    """The certificates the local CA issued to a station, newest first."""
    rows = client(api_url, api_token).get(f"/cs/{cs_id}/certificates/issued", offset=offset, limit=limit)
    show_list(rows, as_json, COLUMNS, f"no certificates issued to {cs_id}")


@click.command("ca-certificate")
def ca_certificate() -> None:
    """Print the local CA's root certificate (PEM), created on first use; install it on stations that connect
    over wss (files from CSMS_PKI_DIR, default `<database name>-pki` beside CSMS_DB)."""
    from pki.authority import pem
    from pki.local_ca import open_ca

    try:
        config = Config.from_env()
        click.echo(pem(open_ca(config).root.certificate), nl=False)
    except (ValueError, OSError) as error:
        raise click.ClickException(str(error)) from error


COMMANDS = [pki]
