# wfl simulate tests/cli/declared.wfl --machine crew --spawn workers=1 --interactive
# The prompt refuses an undeclared event or actor, and goes on.
# stdin:
strat
go
start
stop to workers[0] by bob
