# wfl test tests/run/passing.wfl tests/cli/clean.wfl
# Beside files that have scenarios, a file without any is listed and counted, and the run
# passes.
