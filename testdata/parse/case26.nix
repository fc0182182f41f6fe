with builtins; length [ ]
