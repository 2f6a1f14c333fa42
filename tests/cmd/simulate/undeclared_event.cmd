# wfl simulate tests/cli/declared.wfl --machine crew --spawn workers=1 --events strat
# An event the receiving machine does not declare, with the one it most likely means.
