from pia.console import main

main()
