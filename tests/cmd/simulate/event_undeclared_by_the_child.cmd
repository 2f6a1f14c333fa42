# wfl simulate tests/cli/declared.wfl --machine crew --spawn workers=1 --events 'start to workers[0]'
# Sent to a child: checked against the child's machine.
