/abs/path
