# wfl simulate tests/conformance/machine_semantics.wfl --machine activity --set kind=manual --interactive
# An event the machine does not know is refused, and the session goes on.
# stdin:
start by user
bogus
complete
