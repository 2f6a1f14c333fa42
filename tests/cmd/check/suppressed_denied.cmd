# wfl check --color never --deny warnings tests/cli/suppressed.wfl
# A suppressed warning is not reported, so denying warnings does not fail the check
# (check/warning_denied.cmd is the same file without the suppression).
