from smolny.cli import main

main()
