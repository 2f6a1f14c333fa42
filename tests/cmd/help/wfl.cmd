# wfl --help
