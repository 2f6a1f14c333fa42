# wfl test /dev/zero
# env: WFL_INPUT_LIMIT=100000
# An endless file is read up to the limit on a spec's size (lowered, so that the test need not
# read 4 GiB), then refused: exit 2, one line.
