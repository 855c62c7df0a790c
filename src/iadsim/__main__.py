from iadsim.cli import main

main()
