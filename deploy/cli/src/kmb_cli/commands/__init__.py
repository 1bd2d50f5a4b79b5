"""The `kmb` command's own command groups, one module each; `kmb_cli.main` assembles them."""
