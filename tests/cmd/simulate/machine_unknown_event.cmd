# wfl simulate tests/conformance/machine_semantics.wfl --machine crew --events goo
