from kmb_cli.main import main

main()
