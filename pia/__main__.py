from pia.cli import main

main()
