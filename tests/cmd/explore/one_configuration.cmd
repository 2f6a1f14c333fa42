# wfl explore tests/cli/explore/crew.wfl --machine crew --max-states 1
# One configuration is "1 configuration", in the summary and in why it stopped.
