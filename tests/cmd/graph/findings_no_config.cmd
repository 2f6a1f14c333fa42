# wfl graph nightly.wfl --findings --format dot --no-config
# cwd: tests/cli/graph_config
# Without the `wfl.toml`, W0400 is drawn on `report` too.
