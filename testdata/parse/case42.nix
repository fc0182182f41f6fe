a/b
