# wfl simulate tests/cli/pipeline.wfl --runs 18446744073709551615
# Numbers on the command line are bounded (issue 20): each out-of-range value is a usage error,
# exit 2, with the range it must be in, and nothing on standard output.
