# wfl test --coverage --color never tests/cli/coverage/spec.wfl
# A workflow, a machine and a group of children, each with behaviours covered, missed, and
# impossible (which must not count).
