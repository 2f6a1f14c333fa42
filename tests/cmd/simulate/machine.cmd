# wfl simulate tests/conformance/machine_semantics.wfl --machine crew --spawn workers=2 --events 'go, finish to workers[0], stop'
