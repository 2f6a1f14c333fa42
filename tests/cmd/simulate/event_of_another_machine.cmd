# wfl simulate tests/cli/declared.wfl --machine crew --spawn workers=1 --events go
# Known to the file (the worker takes it), but not one of the crew's.
