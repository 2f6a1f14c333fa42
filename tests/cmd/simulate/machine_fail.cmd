# wfl simulate tests/conformance/machine_semantics.wfl --machine crew --fail x
# `--fail` is for workflows.
