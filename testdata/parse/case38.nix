x: x."a"
