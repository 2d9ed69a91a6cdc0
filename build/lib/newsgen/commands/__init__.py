"""One module per `newsgen` command: HELP, add_arguments(parser), run(args) -> exit code."""
