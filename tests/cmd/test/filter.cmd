# wfl test --filter killed tests/run/passing.wfl
