# wfl simulate tests/conformance/machine_semantics.wfl --scenario 'activity: a start sent by another actor is ignored' --format json
