# wfl check --no-config --format json 'tests/cli/config/**/*.wfl'
# A quoted glob is expanded by wfl, with `.gitignore` respected.
