# wfl check --format sarif --help-uri-base specs/ tests/cli/clean.wfl
# The base of the rules' help links must be an absolute URL.
