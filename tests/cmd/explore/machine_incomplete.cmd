# wfl explore tests/cli/explore/crew.wfl --machine crew --max-states 5
# The exploration stores at most `--max-states` configurations, and says it stopped there.
