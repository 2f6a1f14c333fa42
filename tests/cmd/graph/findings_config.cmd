# wfl graph nightly.wfl --findings --format dot
# cwd: tests/cli/graph_config
# The findings drawn are those `wfl check nightly.wfl` reports here: `wfl.toml` allows W0400, so
# only W0100 is drawn (on the whole item: a variable is none of the things a picture shows).
