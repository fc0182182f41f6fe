a: !a
