# wfl simulate tests/cli/declared.wfl --machine crew --spawn workers=1 --events 'start, stop to workers[0] by foreman'
# Declared events and actors run.
