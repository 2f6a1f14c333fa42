# wfl simulate tests/conformance/machine_semantics.wfl --machine activity --spawn workers=1
# `activity` has no children to spawn.
