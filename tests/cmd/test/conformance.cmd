# wfl test tests/conformance
# Every scenario of the shared conformance cases passes.
