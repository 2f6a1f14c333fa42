# wfl test --filter 'no such scenario' tests/run/passing.wfl
# A filter that matches nothing ran nothing: that is not a pass.
