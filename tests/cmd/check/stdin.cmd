# wfl check --color never -
# `-` is standard input, named `<stdin>` in the report.
# stdin:
workflow w { task a; a -> zz }
