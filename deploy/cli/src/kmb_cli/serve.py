"""``python -m kmb_cli.serve <service>``: run one service with nothing else of the CLI imported.

`kmb up` starts each service this way, so a service process carries only its own code (the operator
commands pull in Faker, Rich tables and more, which would cost every service tens of MiB).
"""

from __future__ import annotations

import sys

from kmb_cli.services import SERVICES, serve


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1 or args[0] not in SERVICES:
        sys.exit(f"usage: python -m kmb_cli.serve {{{','.join(SERVICES)}}}")
    serve(args[0])


if __name__ == "__main__":
    main()
