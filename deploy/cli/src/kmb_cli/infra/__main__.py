"""`python -m kmb_cli.infra kafka|pg ...`: the infra commands without the full `kmb` CLI."""

from kmb_cli.infra.cli import infra_app

if __name__ == "__main__":
    infra_app(prog_name="python -m kmb_cli.infra")
