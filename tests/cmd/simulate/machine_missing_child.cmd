# wfl simulate tests/conformance/machine_semantics.wfl --machine crew --spawn workers=1 --events 'finish to workers[3]'
