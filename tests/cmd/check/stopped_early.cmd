# wfl check --color never --max-states 2 tests/cli/bounds/crew.wfl
# Stopped early: nothing is claimed never to happen, and a note says why, for each machine;
# notes do not fail the check.
