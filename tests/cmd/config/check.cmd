# wfl check
# cwd: tests/cli/config/project
# `generated/` is excluded, `build/` ignored by `.gitignore`; the format is `github` and
# warnings are denied, as `[check]` says; `unused_variable` is allowed by `[lints]`.
