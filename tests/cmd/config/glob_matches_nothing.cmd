# wfl check 'tests/cli/config/**/nothing*.wfl'
# A glob that matches no file is a usage error.
