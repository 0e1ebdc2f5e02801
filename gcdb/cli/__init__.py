"""The ``gcdb`` command line: a thin layer of subcommands over the library (see :mod:`gcdb.cli.main`)."""
