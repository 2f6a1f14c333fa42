# wfl completions tcsh
