# wfl simulate tests/conformance/machine_semantics.wfl --machine crew --set workers[0].x=1
# `--set` sets the variables of the machine simulated, not of its children.
