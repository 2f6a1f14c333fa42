# wfl simulate tests/cli/declared.wfl --machine crew --spawn workers=1 --events 'stop to workers[0] by formean'
# An actor the receiving machine does not declare.
